/**
 * Injection token of the ShutdownInitializer, which makes the library's objects. Symbol.for: the same
 * token in the ES module and CommonJS builds, so that forRoot() from each is still seen twice.
 */
export const SHUTDOWN_INITIALIZER = Symbol.for('nestjs-shutdown:initializer');
