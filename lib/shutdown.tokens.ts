/** Injection token of the validated options (ResolvedShutdownOptions). */
// Symbol.for: the same token in the ES module and CommonJS builds, so that forRoot() from each is still seen twice.
export const SHUTDOWN_RESOLVED_OPTIONS = Symbol.for('nestjs-shutdown:resolved-options');
