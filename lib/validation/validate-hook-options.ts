import { DEFAULT_HOOK_ORDER } from '../shutdown.constants.js';
import type { OnShutdownOptions, ShutdownHookMetadata } from '../interfaces/on-shutdown-options.interface.js';
import { describeValue, durationProblem, isFiniteNumber } from './describe-value.js';

const KNOWN_KEYS = new Set(['order', 'timeout', 'name']);

/**
 * Turns what was passed to @OnShutdown() (or `ShutdownService.register()`) into metadata, or throws
 * an error naming the method (`where`, e.g. `Outbox.flush`), or what `subject` says, and the offending value.
 */
export function validateHookOptions(input: unknown, where: string, subject = `@OnShutdown() on ${where}`): ShutdownHookMetadata {
  const fail = (problem: string): never => {
    throw new TypeError(`${subject}: ${problem}`);
  };
  if (input === undefined) return { order: DEFAULT_HOOK_ORDER };
  if (typeof input === 'number') {
    if (!isFiniteNumber(input)) fail(`order must be a finite number, got ${describeValue(input)}`);
    return { order: input };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(`expected an order (number) or { order, timeout, name }, got ${describeValue(input)}`);
  }
  const options = input as OnShutdownOptions & Record<string, unknown>;
  const unknownKeys = Object.keys(options).filter((key) => !KNOWN_KEYS.has(key));
  if (unknownKeys.length > 0) fail(`unknown option ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}`);

  const metadata: ShutdownHookMetadata = { order: DEFAULT_HOOK_ORDER };
  if (options.order !== undefined) {
    if (!isFiniteNumber(options.order)) fail(`order must be a finite number, got ${describeValue(options.order)}`);
    metadata.order = options.order;
  }
  if (options.timeout !== undefined) {
    const problem = durationProblem(options.timeout, false);
    if (problem) fail(`timeout ${problem}`);
    metadata.timeout = options.timeout;
  }
  if (options.name !== undefined) {
    if (typeof options.name !== 'string' || options.name.trim() === '') {
      fail(`name must be a non-empty string, got ${describeValue(options.name)}`);
    }
    metadata.name = options.name;
  }
  return metadata;
}
