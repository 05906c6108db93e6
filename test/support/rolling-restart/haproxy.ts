import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Child, ChildExit } from '../child-process.js';
import { startProcess } from './app-process.js';
import { FatalWaitError, pollUntil, type PollOptions } from './wait.js';

export interface BackendServer {
  name: string;
  port: number;
}

export interface HaproxySettings {
  /** Where the configuration file and the stats socket go. */
  dir: string;
  frontendPort: number;
  servers: BackendServer[];
  /** Path of the readiness route the active health checks ask. */
  checkPath: string;
  binary?: string;
}

/** One row of `show stat`: a frontend, a backend or a server, keyed by the CSV header's names. */
export type StatRow = Record<string, string>;

export const FRONTEND = 'fe_app';
export const BACKEND = 'be_app';

/** Abnormal sessions logged (option dontlog-normal), at most this many kept. */
const LOG_LINES_KEPT = 300;

/** Where Debian's package puts it: not on a non-root user's PATH. */
const HAPROXY_CANDIDATES = ['haproxy', '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'];

/**
 * The HAProxy binary to run and the first line of its `haproxy -v`: `binary` when given, else the
 * first of `haproxy` on the PATH, /usr/sbin/haproxy, /usr/local/sbin/haproxy. Undefined when none runs.
 */
export function findHaproxy(binary?: string): { binary: string; version: string } | undefined {
  for (const candidate of binary ? [binary] : HAPROXY_CANDIDATES) {
    const result = spawnSync(candidate, ['-v'], { encoding: 'utf8', timeout: 5_000 });
    // "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://…": the site address is left out.
    const version = result.error || result.status !== 0 ? undefined : result.stdout.split('\n')[0]?.replace(/\s+-\s+\S+:\/\/\S*$/, '').trim();
    if (version) return { binary: candidate, version };
  }
  return undefined;
}

/** First line of `haproxy -v`, or undefined when HAProxy is not installed (see findHaproxy). */
export function haproxyVersion(binary?: string): string | undefined {
  return findHaproxy(binary)?.version;
}

/**
 * The load balancer under test. Nothing may mask a failed request: `retries 0` and no
 * `option redispatch`, so a request sent to an instance that can't answer it comes back to the
 * client as an error. Keep-alive on both sides, as in production. Active checks on the readiness
 * route every 100 ms: an instance is out after 2 failed checks and back after 2 good ones.
 */
export function haproxyConfig({ dir, frontendPort, servers, checkPath }: HaproxySettings): string {
  return [
    'global',
    '  log stdout format raw local0 info',
    `  stats socket ${join(dir, 'haproxy.sock')} mode 600 level admin`,
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    // Only errors and abnormal sessions (5xx, resets, aborts) are logged.
    '  option dontlog-normal',
    '  option http-keep-alive',
    '  retries 0',
    '  no option redispatch',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-request 5s',
    '  timeout http-keep-alive 30s',
    '  timeout queue 2s',
    '  timeout check 1s',
    '',
    `frontend ${FRONTEND}`,
    `  bind 127.0.0.1:${frontendPort}`,
    `  default_backend ${BACKEND}`,
    '',
    `backend ${BACKEND}`,
    '  balance roundrobin',
    `  option httpchk GET ${checkPath}`,
    '  http-check expect status 200',
    '  default-server inter 100ms fall 2 rise 2',
    ...servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port} check`),
    '',
  ].join('\n');
}

/** HAProxy in the foreground (`-db`), with its stats socket to read what it sees. */
export class Haproxy {
  /** Log lines of abnormal sessions (errors, resets, aborts), the first LOG_LINES_KEPT. */
  readonly abnormalLog: string[] = [];
  abnormalLogCount = 0;

  private constructor(
    private readonly run: Child,
    readonly socketPath: string,
    readonly configText: string,
  ) {
    run.onLine((line) => {
      // Session log lines start with the client address; alerts and warnings go to the output only.
      if (!/^127\.0\.0\.1:\d+ \[/.test(line)) return;
      this.abnormalLogCount++;
      if (this.abnormalLog.length < LOG_LINES_KEPT) this.abnormalLog.push(line);
    });
  }

  /** Writes the configuration, starts HAProxy and waits until its stats socket answers. */
  static async start(settings: HaproxySettings, options: PollOptions): Promise<Haproxy> {
    const configPath = join(settings.dir, 'haproxy.cfg');
    const configText = haproxyConfig(settings);
    await writeFile(configPath, configText);
    const run = startProcess('haproxy', settings.binary ?? 'haproxy', ['-db', '-f', configPath]);
    const haproxy = new Haproxy(run, join(settings.dir, 'haproxy.sock'), configText);
    try {
      await pollUntil(
        'HAProxy to start (its stats socket to answer)',
        async () => {
          if (!run.running) throw new FatalWaitError(`${run.describe()}:\n${run.output}`);
          return (await haproxy.command('show info')).includes('Pid:') ? true : undefined;
        },
        options,
      );
    } catch (error) {
      await run.stop('SIGKILL', 1_000);
      throw error;
    }
    return haproxy;
  }

  get output(): string {
    return this.run.output;
  }

  get running(): boolean {
    return this.run.running;
  }

  /** One command on the stats socket; HAProxy answers and closes the connection. */
  command(command: string, timeoutMs = 1_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.socketPath);
      let answer = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer to "${command}" on the stats socket within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.setEncoding('utf8');
      socket.once('connect', () => socket.write(`${command}\n`));
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(answer);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** `show stat`, parsed. */
  async stats(): Promise<StatRow[]> {
    const [header, ...lines] = (await this.command('show stat')).split('\n').filter((line) => line.trim() !== '');
    if (!header?.startsWith('# ')) throw new Error(`unexpected "show stat" answer: ${header}`);
    const names = header.slice(2).split(',');
    return lines.map((line) => {
      const values = line.split(',');
      return Object.fromEntries(names.map((name, index) => [name, values[index] ?? '']));
    });
  }

  async row(proxy: string, name: string): Promise<StatRow | undefined> {
    return (await this.stats()).find((row) => row.pxname === proxy && row.svname === name);
  }

  /**
   * Waits until HAProxy sees `server` in `state`: 'UP' also needs the last check to have passed
   * (L7OK), 'DOWN' is the settled state after `fall` failed checks (not "UP 1/2", going down).
   */
  async waitForServer(server: string, state: 'UP' | 'DOWN', options: PollOptions): Promise<StatRow> {
    return pollUntil(
      `HAProxy to see ${server} ${state}`,
      async () => {
        if (!this.running) throw new FatalWaitError(`${this.run.describe()}:\n${this.output}`);
        const row = await this.row(BACKEND, server);
        if (!row) throw new Error(`no server ${server} in "show stat"`);
        if (row.status !== state) return undefined;
        return state === 'DOWN' || row.check_status === 'L7OK' ? row : undefined;
      },
      { intervalMs: 20, ...options },
    );
  }

  async stop(): Promise<ChildExit | undefined> {
    return this.run.stop('SIGTERM', 2_000);
  }
}
