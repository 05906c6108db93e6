/**
 * Every line the library logs while running, in one place: the wording stays consistent between
 * the log, the second-signal line and the watchdog, and a reader finds what a message means here.
 * Validation errors stay beside their checks (lib/validation), which name the option or method.
 */
import type { IntegrationName } from './integrations/work-source.interface.js';
import type { DrainKind } from './interfaces/shutdown-report.interface.js';
import { describeError } from './report/describe-error.js';

/** What each kind of drained work is called in the log. */
export const DRAIN_KIND_NAMES: Record<DrainKind, string> = {
  requests: 'request(s)',
  sse: 'SSE stream(s)',
  websockets: 'WebSocket(s)',
  'socket.io': 'socket.io client(s)',
  http2: 'HTTP/2 session(s)',
  grpc: 'gRPC call(s)',
};

/** How each integration's report line names what it stopped and the work it waited for. */
export const INTEGRATION_NOUNS: Record<IntegrationName, { stopped: string; work: string }> = {
  '@nestjs/schedule': { stopped: 'scheduled job(s) stopped', work: 'tick(s)' },
  '@nestjs/bullmq': { stopped: 'worker(s) closed', work: 'job(s)' },
};

export const messages = {
  // Start-up
  watchdogUnavailable: (why: string) =>
    `${why}: a hook that blocks the event loop past the shutdown deadline can't be stopped before the orchestrator's SIGKILL`,
  nestShutdownHooksSwitchedOff: (adopted: readonly string[], dropped: readonly string[]) =>
    'enableShutdownHooks() is not needed with ShutdownModule and was switched off: ShutdownModule already runs ' +
    "Nest's lifecycle hooks on shutdown. Remove the call from main.ts." +
    (adopted.length > 0 ? ` Its ${adopted.join(', ')} now start the shutdown sequence too.` : '') +
    (dropped.length > 0 ? ` Its ${dropped.join(', ')} are left to Node's default: they report a fault, not a request to stop.` : ''),
  closedWithoutInit: (hooks: number) =>
    `app.close() on an application that was never initialised: its ${hooks} @OnShutdown() hook(s) did not run ` +
    "(Nest's onModuleDestroy hooks did). Call app.init() (or listen()) before close() to run them.",
  undrainableGatewayServers: (adapter: string, count: number) =>
    `${count} WebSocket server(s) made by ${adapter} can't be drained (neither ws nor socket.io): their clients get ` +
    'no goodbye; connections on the HTTP server are cut at drainTimeout, others when Nest closes the adapter',
  integrationUnknownShape: (library: string, part: string, option: string) =>
    `${library} is used, but its ${part} is not as this library knows it: its work is stopped only by Nest's ` +
    `own teardown, after the hooks. Set integrations.${option} to false to silence this.`,
  readinessWithoutHttp: (path: string) => `readinessPath "${path}" is ignored: this application has no HTTP server`,

  registeredTooLate: (name: string, reason: string) =>
    `ShutdownService.register(${JSON.stringify(name)}) after the shutdown (${reason}) started: this hook will not run`,

  // Triggers
  signalDuringBootstrap: (signal: string) => `${signal} during bootstrap: the shutdown starts as soon as the application is initialised`,
  bootstrapTooLong: (timeoutMs: number) => `The application did not finish bootstrapping within the ${timeoutMs} ms shutdown deadline`,
  messageAgainIgnored: (reason: string) => `${reason} received again while shutting down: ignored (one sequence runs)`,
  signalAgainDuringBootstrap: (signal: string, first: string) => `${again(signal, first)} during bootstrap: exiting now`,
  signalAgainIgnored: (signal: string, first: string) =>
    `${again(signal, first)} while shutting down; ignored because the "exit" option is false`,
  signalAgainExiting: (signal: string, first: string, running: string) =>
    `${again(signal, first)}: exiting now, before the sequence ended; still running: ${running}`,
  fatalError: (kind: string, error: unknown) => `${kind}: ${describeError(error)}; shutting down`,
  fatalErrorWhileShuttingDown: (kind: string, error: unknown) =>
    `${kind} while shutting down (no second sequence is started): ${describeError(error)}`,

  // The run
  integrationFailed: (library: string, error: unknown) => `Stopping ${library}'s work failed: ${describeError(error)}`,
  scheduledAfterTrigger: (kind: string, name: string) => `@nestjs/schedule: ${kind} "${name}" added during the shutdown was stopped at once`,
  shuttingDown: (reason: string, hooks: number, timeoutMs: number) =>
    `Shutting down (${reason}): ${hooks} hook(s), deadline in ${timeoutMs} ms`,
  preStopDelay: (delayMs: number) => `Readiness now fails; serving for ${delayMs} ms more (preStopDelay) before draining`,
  drainStarted: (limitMs: number, inFlight: ReadonlyArray<{ kind: DrainKind; count: number; connections?: number }>) =>
    `Draining: closed to new connections; waiting up to ${limitMs} ms for ` +
    inFlight
      .filter(({ kind, count }) => kind === 'requests' || count > 0)
      .map(({ kind, count, connections }) => `${count} ${DRAIN_KIND_NAMES[kind]}${onConnections(connections)}`)
      .join(', '),
  hookFailed: (name: string, error: unknown) => `Hook ${name} failed: ${describeError(error)}`,
  hookThrewNothing: (name: string, value: unknown) => `${name} failed with ${String(value)}`,
  exitDeferred: (code: number) => `process.exit(${code}) was called during the shutdown sequence: deferred until the sequence is over`,
  exitCalledInHook: (code: number) => `process.exit(${code}) was called by a hook during the shutdown sequence`,
  noWatchdogThread: (error: unknown) =>
    `No watchdog thread for this shutdown (${describeError(error)}): a hook that blocks the event loop past the deadline can't be stopped`,
  sequenceBroke: (error: unknown) => `Shutdown sequence broke: ${describeError(error)}`,
  lifecycleFailed: (error: unknown) => `Nest's lifecycle hooks failed: ${describeError(error)}`,
  listenerFailed: (listener: string, event: string, error: unknown) => `${listener}.onShutdownEvent(${event}) failed: ${describeError(error)}`,
  listenersNotListed: (error: unknown) => `The ShutdownEventListeners could not be listed (${describeError(error)}): no shutdown event is sent`,
  exiting: (code: number) => `Exiting with code ${code}`,
} as const;

/** "on 200 open connection(s)": what an HTTP/1.1 drain holds besides requests (keep-alive, half-open sockets). */
export function onConnections(connections: number | undefined): string {
  return connections === undefined ? '' : ` on ${connections} open connection(s)`;
}

/** A second signal, named with the first one when they differ: "SIGINT received after SIGTERM". */
function again(signal: string, first: string): string {
  return signal === first ? `${signal} received again` : `${signal} received after ${first}`;
}

/** Names shown for the phases that are not hooks, in the log, the second-signal line and the watchdog. */
export const PHASE_NAMES = {
  drain: 'the drain',
  lifecycle: "Nest's lifecycle hooks",
  delay: 'the pre-stop delay',
  work: 'the scheduled ticks and queue jobs in progress',
} as const;

/** Running hooks named in a 'still running' line; the rest are counted (thousands may run at once). */
export const NAMED_RUNNING_HOOKS = 5;

/**
 * What is running, in words: the phase's name, or the running hooks (the newest first, a few by
 * name, the rest counted). Self-contained, so the watchdog thread runs this very function from
 * its source text: one wording on both threads.
 */
export function describeRunning(
  phase: string,
  runningHookNames: readonly string[],
  phaseNames: Record<string, string>,
  named: number,
): string {
  if (phase === 'drain' || phase === 'lifecycle' || phase === 'work') return phaseNames[phase];
  const listed = runningHookNames.slice(0, named);
  if (runningHookNames.length > listed.length) listed.push(`${runningHookNames.length - listed.length} more hook(s)`);
  if (phase === 'delay') listed.push(phaseNames.delay);
  return listed.length > 0 ? listed.join(', ') : 'nothing';
}
