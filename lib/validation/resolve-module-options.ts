import { DEFAULT_SIGNALS, DEFAULT_TIMEOUT_MS } from '../shutdown.constants.js';
import type { ResolvedShutdownOptions, ShutdownModuleOptions } from '../interfaces/shutdown-options.interface.js';
import { describeValue, durationProblem } from './describe-value.js';
import { signalProblem } from './signal-problem.js';

const KNOWN_KEYS = new Set(['timeout', 'signals', 'exit', 'drainTimeout', 'preStopDelay', 'readinessPath', 'handleFatalErrors', 'watchdog', 'integrations', 'shutdownMessage', 'structuredReport', 'logger']);

/** A path a load balancer probes: no route parameter (`:id`), wildcard or pattern, which would answer other routes. */
const LITERAL_PATH = /^\/[A-Za-z0-9\-._~/]*$/;

/** Validates ShutdownModule options at bootstrap and fills in the defaults; throws naming the option. */
export function resolveModuleOptions(input: ShutdownModuleOptions | undefined): ResolvedShutdownOptions {
  const fail = (problem: string): never => {
    throw new TypeError(`ShutdownModule: ${problem}`);
  };
  if (input === null || (input !== undefined && (typeof input !== 'object' || Array.isArray(input)))) {
    return fail(`options must be an object, got ${describeValue(input)}`);
  }
  const options: ShutdownModuleOptions & Record<string, unknown> = (input ?? {}) as never;

  const unknownKeys = Object.keys(options).filter((key) => !KNOWN_KEYS.has(key) && options[key] !== undefined);
  if (unknownKeys.length > 0) {
    fail(`unknown option ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')} (known: ${[...KNOWN_KEYS].join(', ')})`);
  }

  const duration = (name: string, value: unknown, zeroAllowed: boolean): void => {
    const problem = durationProblem(value, zeroAllowed);
    if (problem) fail(`option "${name}" ${problem}`);
  };
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  duration('timeout', timeout, false);

  const signals = options.signals ?? DEFAULT_SIGNALS;
  if (!Array.isArray(signals)) fail(`option "signals" must be an array of signal names, got ${describeValue(signals)}`);
  for (const signal of signals) {
    const problem = signalProblem(signal);
    if (problem) fail(`option "signals": ${describeValue(signal)} ${problem}`);
  }

  const exit = options.exit ?? true;
  if (typeof exit !== 'boolean') fail(`option "exit" must be a boolean, got ${describeValue(options.exit)}`);

  const drainTimeout = options.drainTimeout ?? Math.round(timeout / 2);
  duration('drainTimeout', drainTimeout, true);

  const preStopDelay = options.preStopDelay ?? 0;
  duration('preStopDelay', preStopDelay, true);
  if (preStopDelay >= timeout) {
    fail(`option "preStopDelay" (${preStopDelay} ms) must be smaller than "timeout" (${timeout} ms): the delay counts against the deadline`);
  }

  const readinessPath = options.readinessPath;
  if (readinessPath !== undefined && (typeof readinessPath !== 'string' || !LITERAL_PATH.test(readinessPath))) {
    fail(
      `option "readinessPath" must be a literal path starting with "/" (letters, digits, "-", ".", "_", "~" and "/"; ` +
        `no parameter or wildcard), got ${describeValue(readinessPath)}`,
    );
  }

  const handleFatalErrors = options.handleFatalErrors ?? false;
  if (typeof handleFatalErrors !== 'boolean') {
    fail(`option "handleFatalErrors" must be a boolean, got ${describeValue(options.handleFatalErrors)}`);
  }

  const watchdog = options.watchdog ?? true;
  if (typeof watchdog !== 'boolean') fail(`option "watchdog" must be a boolean, got ${describeValue(options.watchdog)}`);

  const integrations = resolveIntegrations(options.integrations, fail);

  const shutdownMessage = options.shutdownMessage;
  if (shutdownMessage !== undefined && shutdownMessage !== false && (typeof shutdownMessage !== 'string' || shutdownMessage === '')) {
    fail(`option "shutdownMessage" must be a non-empty string (the IPC message to listen to) or false, got ${describeValue(shutdownMessage)}`);
  }

  const structuredReport = options.structuredReport ?? false;
  if (typeof structuredReport !== 'boolean') {
    fail(`option "structuredReport" must be a boolean, got ${describeValue(options.structuredReport)}`);
  }

  const logger = options.logger;
  if (logger !== undefined && logger !== false && !isLogger(logger)) {
    fail(`option "logger" must be a LoggerService (log, error, warn methods) or false, got ${describeValue(logger)}`);
  }

  return { timeout, signals: [...new Set(signals)], exit, drainTimeout, preStopDelay, readinessPath, handleFatalErrors, watchdog, integrations, shutdownMessage, structuredReport, logger };
}

const INTEGRATIONS = ['schedule', 'bullmq'] as const;

function resolveIntegrations(input: unknown, fail: (problem: string) => never): ResolvedShutdownOptions['integrations'] {
  if (input === undefined) return { schedule: true, bullmq: true };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(`option "integrations" must be an object such as { schedule: false }, got ${describeValue(input)}`);
  }
  const given = input as Record<string, unknown>;
  const unknownKeys = Object.keys(given).filter((key) => !(INTEGRATIONS as readonly string[]).includes(key));
  if (unknownKeys.length > 0) {
    fail(`option "integrations": unknown integration ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')} (known: ${INTEGRATIONS.join(', ')})`);
  }
  const resolved = { schedule: true, bullmq: true };
  for (const name of INTEGRATIONS) {
    const value = given[name] ?? true;
    if (typeof value !== 'boolean') fail(`option "integrations.${name}" must be a boolean, got ${describeValue(given[name])}`);
    resolved[name] = value as boolean;
  }
  return resolved;
}

function isLogger(value: unknown): boolean {
  const candidate = value as Record<string, unknown> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    ['log', 'error', 'warn'].every((method) => typeof candidate[method] === 'function')
  );
}
