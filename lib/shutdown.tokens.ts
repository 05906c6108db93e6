/** Injection token of the validated options (ResolvedShutdownOptions). */
export const SHUTDOWN_RESOLVED_OPTIONS = Symbol('nestjs-shutdown:resolved-options');
