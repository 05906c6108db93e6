import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitStatus, type Child, type ExitStatus } from '../child-process.js';
import { startProcess, waitForListening } from './app-process.js';
import { BACKEND, FRONTEND, findHaproxy, Haproxy, type StatRow } from './haproxy.js';
import { LiveClients, type LiveClientCounts } from './live-clients.js';
import { failedRequests, Load, type LoadCounts, type LoadStream } from './load.js';
import { freePorts } from '../ports.js';
import { messageOf, pause, within } from './wait.js';

export interface RollingRestartOptions {
  /** Name of the variant, in the timeline and the result. */
  label: string;
  /** Absolute path of the application's entry script; node runs it with PORT set. */
  script: string;
  /** Added to the environment of every instance. */
  env?: Record<string, string>;
  /** Readiness route HAProxy checks. Default /health/ready. */
  checkPath?: string;
  /** What the load sends. Default DEFAULT_LOAD. */
  load?: readonly LoadStream[];
  /**
   * Each SIGTERM waits (up to 5 s) for this load stream to send a request, and follows it at once:
   * with slow requests, the instance then has requests in flight when it drains. Default: the slow
   * POST stream of DEFAULT_LOAD when `load` is not given; none otherwise.
   */
  sigtermAfterRequestOf?: string;
  /** Load before the first SIGTERM. Default 1 500 ms. */
  warmupMs?: number;
  /** Load between one instance back up and the next SIGTERM. Default 1 000 ms. */
  settleMs?: number;
  /** Load after the last instance is back up. Default 1 000 ms. */
  tailMs?: number;
  /** How long an instance may take to exit after SIGTERM before it is killed. Default 12 000 ms. */
  exitTimeoutMs?: number;
  /** How long an instance may take to listen once started. Default 15 000 ms. */
  startTimeoutMs?: number;
  /** How long HAProxy may take to see an instance DOWN after its exit, or UP once it listens. Default 5 000 ms. */
  healthTimeoutMs?: number;
  /** Upper bound of the whole scenario, cleanup excepted. Default 50 000 ms. */
  hardLimitMs?: number;
  /** Default: `haproxy` on the PATH, else /usr/sbin/haproxy or /usr/local/sbin/haproxy. */
  haproxyBinary?: string;
  /** Called with each timeline line as it happens (progress output). */
  log?: (line: string) => void;
  /** WebSocket and SSE clients that stay connected through the restart, reconnecting when closed. */
  liveClients?: { websockets: number; wsPath: string; sseStreams: number; ssePath: string };
}

/** What one instance went through during its restart; times in ms. */
export interface RestartRecord {
  instance: string;
  /** From the start of the load. */
  sigtermAtMs: number;
  /** HAProxy saw the instance DOWN, after SIGTERM. */
  downAfterMs: number;
  /** The process exited, after SIGTERM. */
  exitAfterMs: number;
  exit: ExitStatus;
  /** It did not exit within exitTimeoutMs and was killed. */
  killed: boolean;
  /** The application's own account of its HTTP drain, when it logged one. */
  drain?: string;
  /** The new process accepted connections, after it was started. */
  listeningAfterMs: number;
  /** HAProxy saw the new process UP, after it was started. */
  upAfterMs: number;
}

export interface InstanceRecord {
  name: string;
  port: number;
  /** Exit of each process stopped during the rolling restart (one per instance). */
  exits: ExitStatus[];
}

export interface RollingRestartResult {
  label: string;
  /** Whole scenario, from the first process started to the last one cleaned up. */
  totalMs: number;
  loadDurationMs: number;
  requests: LoadCounts;
  /** errors + timeouts + lost + non-2xx. */
  failed: number;
  streams: Record<string, LoadCounts>;
  /** autocannon's own totals, for comparison. */
  autocannon: { '2xx': number; non2xx: number; errors: number; timeouts: number };
  instances: InstanceRecord[];
  restarts: RestartRecord[];
  /** What the long-lived clients saw, when there were some. */
  live?: { websockets: LiveClientCounts; sse: LiveClientCounts };
  haproxy: {
    version: string;
    config: string;
    /** Counters of the frontend and the backend from `show stat` at the end of the load. */
    frontend: HaproxyCounters;
    backend: HaproxyCounters;
    /** Sessions HAProxy logged as abnormal (option dontlog-normal): errors, resets, aborts. */
    abnormalLogCount: number;
    abnormalLog: string[];
  };
  timeline: string[];
}

export type HaproxyCounters = Record<(typeof COUNTERS)[number], number>;

const COUNTERS = ['req_tot', 'hrsp_2xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other', 'ereq', 'econ', 'eresp', 'wretr', 'wredis', 'cli_abrt', 'srv_abrt'] as const;

/**
 * 300 req/s of a fast GET, plus back-to-back slow POSTs (~1.5 s on the sample): the requests a
 * drain must let finish. The POST connections start together and stay in step, a burst of 4 every
 * ~1.5 s; SIGTERM follows a burst (see sigtermAfterRequestOf), so the instance has some in flight.
 */
const SLOW_STREAM = 'POST /orders';

export const DEFAULT_LOAD: readonly LoadStream[] = [
  { name: 'GET /orders/buffer', path: '/orders/buffer', connections: 16, rate: 300, staggered: 8 },
  {
    name: SLOW_STREAM,
    method: 'POST',
    path: '/orders',
    body: JSON.stringify({ item: 'kettle', quantity: 1 }),
    headers: { 'content-type': 'application/json' },
    connections: 4,
  },
];

/** Thrown when the scenario itself could not run to the end; carries the timeline so far. */
export class ScenarioError extends Error {}

interface Instance {
  name: string;
  port: number;
  run: Child;
  generation: number;
  exits: ExitStatus[];
}

/**
 * HAProxy in front of two instances of `script`, a steady load through HAProxy, and a rolling
 * restart under that load: each instance in turn gets SIGTERM, exits, is started again on the
 * same port and becomes healthy in HAProxy's view before the next one goes. Returns what happened
 * to every request. Every wait is bounded; HAProxy, the instances and the temporary directory are
 * gone when it returns or throws.
 */
export async function runRollingRestart(options: RollingRestartOptions): Promise<RollingRestartResult> {
  const {
    label,
    script,
    env = {},
    checkPath = '/health/ready',
    load: streams = DEFAULT_LOAD,
    warmupMs = 1_500,
    settleMs = 1_000,
    tailMs = 1_000,
    exitTimeoutMs = 12_000,
    startTimeoutMs = 15_000,
    healthTimeoutMs = 5_000,
    hardLimitMs = 50_000,
    sigtermAfterRequestOf = options.load ? undefined : SLOW_STREAM,
  } = options;
  const found = findHaproxy(options.haproxyBinary);
  if (!found) throw new ScenarioError(`HAProxy is not installed: "${options.haproxyBinary ?? 'haproxy'} -v" could not run`);
  const { binary: haproxyBinary, version } = found;

  const dir = await mkdtemp(join(tmpdir(), 'nestjs-shutdown-rolling-'));
  const started = performance.now();
  const timeline: string[] = [];
  const note = (text: string) => {
    const line = `${String(Math.round(performance.now() - started)).padStart(6)} ms  [${label}] ${text}`;
    timeline.push(line);
    options.log?.(line);
  };
  const limit = new AbortController();
  const limitTimer = setTimeout(() => limit.abort(new Error(`the scenario passed its hard limit of ${hardLimitMs} ms`)), hardLimitMs);
  const signal = limit.signal;

  const instances: Instance[] = [];
  let haproxy: Haproxy | undefined;
  let load: Load | undefined;
  let live: LiveClients | undefined;

  const spawnInstance = (instance: Pick<Instance, 'name' | 'port' | 'generation'>): Child =>
    startProcess(`${instance.name} (process ${instance.generation})`, process.execPath, [script], {
      NO_COLOR: '1',
      // One embedded database per instance: PGlite serves one process (kept across its restarts).
      EMBEDDED_DB_DIR: join(dir, `pglite-${instance.name}`),
      ...env,
      PORT: String(instance.port),
    });

  const restart = async (instance: Instance, loadStartedAt: number): Promise<RestartRecord> => {
    const proxy = haproxy!;
    if (sigtermAfterRequestOf) {
      await load!.nextRequestOf(sigtermAfterRequestOf, 5_000).catch(() => note(`no request of ${sigtermAfterRequestOf} within 5 s`));
    }
    const old = instance.run;
    let drain: string | undefined;
    old.onLine((line) => {
      const match = /Drain: (.*)$/.exec(line);
      if (match) drain = match[1].trim();
    });
    const sigtermAt = performance.now();
    note(`SIGTERM to ${instance.name} (pid ${old.pid})`);
    old.kill('SIGTERM');
    // HAProxy's view is followed from the signal on: DOWN must come, before or after the exit.
    const downSeen = proxy
      .waitForServer(instance.name, 'DOWN', { timeoutMs: exitTimeoutMs + healthTimeoutMs, signal })
      .then(() => {
        const after = Math.round(performance.now() - sigtermAt);
        note(`HAProxy sees ${instance.name} DOWN (${after} ms after SIGTERM)`);
        return after;
      });
    downSeen.catch(() => undefined);
    let killed = false;
    const exit = exitStatus(
      await within(`${old.name} to exit after SIGTERM`, old.exited, exitTimeoutMs).catch(async () => {
        killed = true;
        note(`${instance.name} still running ${exitTimeoutMs} ms after SIGTERM: SIGKILL`);
        return old.stop('SIGKILL', 0);
      }),
    );
    const exitAfterMs = Math.round(performance.now() - sigtermAt);
    instance.exits.push(exit);
    note(`${instance.name} exited ${JSON.stringify(exit)} (${exitAfterMs} ms after SIGTERM)${drain ? `; drain: ${drain}` : ''}`);
    const downAfterMs = await downSeen.catch((error: unknown) => {
      throw new ScenarioError(`${messageOf(error)}\n--- output of ${old.name} ---\n${old.output}`);
    });

    instance.generation++;
    const spawnedAt = performance.now();
    instance.run = spawnInstance(instance);
    note(`started ${instance.name} again (pid ${instance.run.pid})`);
    await waitForListening(instance.run, instance.port, { timeoutMs: startTimeoutMs, signal });
    const listeningAfterMs = Math.round(performance.now() - spawnedAt);
    note(`${instance.name} listens (${listeningAfterMs} ms after start)`);
    await proxy.waitForServer(instance.name, 'UP', { timeoutMs: healthTimeoutMs, signal }).catch((error: unknown) => {
      throw new ScenarioError(`${messageOf(error)}\n--- output of ${instance.run.name} ---\n${instance.run.output}`);
    });
    const upAfterMs = Math.round(performance.now() - spawnedAt);
    note(`HAProxy sees ${instance.name} UP (${upAfterMs} ms after start)`);
    return {
      instance: instance.name,
      sigtermAtMs: Math.round(sigtermAt - loadStartedAt),
      downAfterMs,
      exitAfterMs,
      exit,
      killed,
      drain,
      listeningAfterMs,
      upAfterMs,
    };
  };

  let result: Omit<RollingRestartResult, 'totalMs'>;
  try {
    const [frontendPort, ...ports] = await freePorts(3);
    for (const [index, port] of ports.entries()) {
      const instance = { name: `app${index + 1}`, port, generation: 1, exits: [] };
      instances.push({ ...instance, run: spawnInstance(instance) });
    }
    note(`started ${instances.map((i) => `${i.name} on 127.0.0.1:${i.port} (pid ${i.run.pid})`).join(', ')}`);
    await Promise.all(instances.map((i) => waitForListening(i.run, i.port, { timeoutMs: startTimeoutMs, signal })));
    note('both instances listen');

    haproxy = await Haproxy.start(
      { dir, frontendPort, checkPath, binary: haproxyBinary, servers: instances.map(({ name, port }) => ({ name, port })) },
      { timeoutMs: 5_000, signal },
    );
    note(`HAProxy listens on 127.0.0.1:${frontendPort} (${version})`);
    for (const instance of instances) await haproxy.waitForServer(instance.name, 'UP', { timeoutMs: healthTimeoutMs, signal });
    note('HAProxy sees both instances UP');

    load = new Load(`http://127.0.0.1:${frontendPort}`, streams, Math.ceil(hardLimitMs / 1000));
    if (options.liveClients) live = new LiveClients(`http://127.0.0.1:${frontendPort}`, options.liveClients);
    const loadStartedAt = load.startedAt;
    note(`load started: ${streams.map((s) => `${s.name} x${s.connections}${s.rate ? ` @${s.rate}/s` : ''}`).join(', ')}`);
    await pause(warmupMs, signal);
    const restarts: RestartRecord[] = [];
    for (const [index, instance] of instances.entries()) {
      if (index > 0) await pause(settleMs, signal);
      restarts.push(await restart(instance, loadStartedAt));
    }
    await pause(tailMs, signal);
    if (signal.aborted) throw signal.reason;

    const liveResult = live?.stop();
    const loadResult = await load.stop();
    note(`load stopped after ${loadResult.durationMs} ms: ${loadResult.total.sent} sent, ${failedRequests(loadResult.total)} failed`);
    const stats = await haproxy.stats();
    result = {
      label,
      loadDurationMs: loadResult.durationMs,
      requests: loadResult.total,
      failed: failedRequests(loadResult.total),
      streams: loadResult.streams,
      autocannon: loadResult.autocannon,
      instances: instances.map(({ name, port, exits }) => ({ name, port, exits })),
      restarts,
      ...(liveResult ? { live: liveResult } : {}),
      haproxy: {
        version,
        config: haproxy.configText,
        frontend: counters(stats, FRONTEND, 'FRONTEND'),
        backend: counters(stats, BACKEND, 'BACKEND'),
        abnormalLogCount: haproxy.abnormalLogCount,
        abnormalLog: [...haproxy.abnormalLog],
      },
      timeline,
    };
  } catch (error) {
    note(`scenario broke: ${messageOf(error)}`);
    const outputs = haproxy ? `\n--- HAProxy output ---\n${haproxy.output}` : '';
    throw new ScenarioError(`${messageOf(error)}\n--- timeline ---\n${timeline.join('\n')}${outputs}`, { cause: error });
  } finally {
    clearTimeout(limitTimer);
    live?.stop();
    await load?.stop().catch(() => undefined);
    await Promise.all(instances.map((instance) => instance.run.stop('SIGTERM', 3_000)));
    await haproxy?.stop();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  return { ...result, totalMs: Math.round(performance.now() - started) };
}

function counters(stats: StatRow[], proxy: string, name: string): HaproxyCounters {
  const row = stats.find((r) => r.pxname === proxy && r.svname === name) ?? {};
  return Object.fromEntries(COUNTERS.map((counter) => [counter, Number(row[counter] || 0)])) as HaproxyCounters;
}

/** A few lines for a human: the counts, the restarts, HAProxy's view. */
export function describeResult(result: RollingRestartResult): string {
  const r = result.requests;
  const lines = [
    `[${result.label}] ${result.failed} failed of ${r.sent} requests in ${result.loadDurationMs} ms of load (${result.totalMs} ms in all)`,
    `  answers ${r.responses}: 2xx ${r.status2xx}, non-2xx ${r.non2xx} ${JSON.stringify(r.statusCodes)}; errors ${r.errors} ${JSON.stringify(r.errorCodes)}; ` +
      `timeouts ${r.timeouts}; lost ${r.lost} (after Connection: close ${r.lostAfterConnectionClose}); in flight at stop ${r.inFlightAtStop}; unaccounted ${r.unaccounted}`,
    ...result.restarts.map(
      (s) =>
        `  ${s.instance}: SIGTERM at ${s.sigtermAtMs} ms, DOWN in HAProxy +${s.downAfterMs} ms, exit ${JSON.stringify(s.exit)} +${s.exitAfterMs} ms` +
        `${s.killed ? ' (killed)' : ''}${s.drain ? `, drain: ${s.drain}` : ''}; new process listening +${s.listeningAfterMs} ms, UP +${s.upAfterMs} ms`,
    ),
    ...r.failures.slice(0, 20).map((f) => `  failed at ${f.atMs} ms: ${f.stream}: ${f.kind} ${f.detail}`),
    ...Object.entries(result.live ?? {}).map(
      ([kind, c]) =>
        `  live ${kind}: ${c.opened} opened, ${c.endedCleanly} ended cleanly by the server, ${c.abnormal.length} abnormal ` +
        `${JSON.stringify(c.abnormal.slice(0, 10))}, ${c.messages} messages, ${c.connectedAtEnd} connected at the end`,
    ),
    `  HAProxy frontend ${JSON.stringify(result.haproxy.frontend)}`,
    `  HAProxy backend ${JSON.stringify(result.haproxy.backend)}`,
    `  HAProxy abnormal sessions logged: ${result.haproxy.abnormalLogCount}`,
    ...result.haproxy.abnormalLog.slice(0, 20).map((line) => `    ${line}`),
  ];
  return lines.join('\n');
}
