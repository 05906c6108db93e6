import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Compiled fixtures live in build/ (npm run build:apps), importing the built package like a user
 * would. E2E_BUILD_DIR points elsewhere: compat/nest11/build runs them against NestJS 11.
 */
export const BUILD_DIR = process.env.E2E_BUILD_DIR
  ? resolve(process.env.E2E_BUILD_DIR) + sep
  : fileURLToPath(new URL('../../../build/', import.meta.url));

const running = new Set<ChildApp>();

export interface AppEvent {
  type: string;
  t: number;
  [key: string]: unknown;
}

export interface LaunchOptions {
  launcher?: string[];
  nodeOptions?: string[];
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the first signal sent (or from start when none was) to the exit. */
  msAfterSignal: number;
}

/** A fixture application running in a child process, with its output and events collected. */
export class ChildApp {
  readonly events: AppEvent[] = [];
  output = '';
  readonly exited: Promise<ChildExit>;
  private readonly process: ChildProcess;
  private readonly waiters: Array<() => void> = [];
  private signalledAt = Date.now();

  /** `script`: relative to BUILD_DIR, or absolute. `launcher` runs node through another command, e.g. `unshare` to make it PID 1 of a namespace. */
  constructor(script: string, env: Record<string, string> = {}, { launcher = [], nodeOptions = [] }: LaunchOptions = {}) {
    const path = isAbsolute(script) ? script : BUILD_DIR + script;
    const [command, ...args] = [...launcher, process.execPath, ...nodeOptions, path];
    running.add(this);
    this.process = spawn(command, args, {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    this.process.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('EVENT ')) this.events.push(JSON.parse(line.slice(6)));
      }
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        resolve({ code, signal, msAfterSignal: Date.now() - this.signalledAt });
        this.waiters.splice(0).forEach((wake) => wake());
      });
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.signalledAt = Date.now();
    this.process.kill(signal);
  }

  /** Sends a further signal without resetting the exit clock. */
  killAgain(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  eventsOf(type: string): AppEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  /** Waits until `predicate` holds on what was collected, or fails after `timeoutMs` with the output. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > until) throw new Error(`timed out waiting; output so far:\n${this.output}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForEvent(type: string, timeoutMs?: number): Promise<AppEvent> {
    return this.waitFor(() => this.events.find((event) => event.type === type), timeoutMs);
  }

  /** Kills the child if a test left it running. */
  dispose(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }
}

/** Starts the e2e fixture app and waits for it to be ready. */
export async function startApp(env: Record<string, string>, launcher: string[] = [], nodeOptions: string[] = []): Promise<{ app: ChildApp; port: number }> {
  const app = new ChildApp('test/fixtures/e2e-app.js', env, { launcher, nodeOptions });
  const ready = await Promise.race([
    app.waitForEvent('ready'),
    app.exited.then((exit) => {
      throw new Error(`app exited during startup (${JSON.stringify(exit)}):\n${app.output}`);
    }),
  ]);
  return { app, port: ready.port as number };
}

export function hooks(...specs: Array<{ name: string; order?: number; timeout?: number; behaviour: string }>): string {
  return JSON.stringify(specs);
}

/** For afterEach: no child outlives its test. */
export function killLeftovers(): void {
  for (const app of running) app.dispose();
  running.clear();
}
