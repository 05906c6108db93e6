/**
 * One value per process for `key`, however many copies of the library are loaded (its ES module
 * and CommonJS builds side by side, or two versions in node_modules): signals, process.exit and
 * the exit decision are process-wide, so their owners must be too.
 */
export function processGlobal<T>(key: string, create: () => T): T {
  const store = globalThis as Record<symbol, T | undefined>;
  const symbol = Symbol.for(`nestjs-shutdown.${key}`);
  return (store[symbol] ??= create());
}
