/** Injection token of the validated options (ResolvedShutdownOptions). */
// Symbol.for: the same token in the ES module and CommonJS builds, so that forRoot() from each is still seen twice.
export const SHUTDOWN_RESOLVED_OPTIONS = Symbol.for('nestjs-shutdown:resolved-options');

/** Injection token of the ShutdownInitializer, which makes the library's objects (Symbol.for: as above). */
export const SHUTDOWN_INITIALIZER = Symbol.for('nestjs-shutdown:initializer');
