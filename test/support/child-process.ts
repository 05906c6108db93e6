/**
 * A command in a child process, as the e2e tests, the benchmarks and the rolling-restart scenario
 * start them: both output streams read as they come (kept, and split into lines for listeners),
 * bounded waits, and one exit shape.
 *
 * `exited` settles on the child's 'close' event, after 'exit': the process has ended AND its
 * stdout and stderr were read to the end, so what a caller reads right after awaiting it is all
 * there is. The time of the exit itself (`at`) is taken at 'exit', before the output is drained.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() in this process when the child ended (its 'exit' event). */
  at: number;
  /** ms from the clock kill() started (from the spawn when kill() was not called) to `at`. */
  msAfterSignal: number;
}

/** How a process ended, without the timing: what a record of exits keeps. */
export type ExitStatus = Pick<ChildExit, 'code' | 'signal'>;

export type OutputStream = 'stdout' | 'stderr';

export interface ChildOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** In messages; the command and its last argument by default. */
  name?: string;
  /** Only the last this many characters of output are kept; all of it by default. */
  keepOutput?: number;
  /** The child is SIGKILLed after this long, whatever it is doing. */
  limitMs?: number;
  /** An IPC channel to the child, as a process manager (PM2) opens one: send() then writes to it. */
  ipc?: boolean;
}

export interface NodeChildOptions extends ChildOptions {
  /** Options of node itself, before the script. */
  nodeOptions?: string[];
  /** A command node runs under, e.g. `unshare` to make it PID 1 of a namespace. */
  launcher?: string[];
}

export interface WaitOptions {
  /** Default 10 s; Infinity for no limit of its own (a child's `limitMs` still applies). */
  timeoutMs?: number;
  /** What is waited for, in the error message. */
  what?: string;
}

/** Children not yet ended, for killAllChildren(). */
const living = new Set<Child>();

/** SIGKILLs every child still running: an afterEach, a benchmark's time limit or Ctrl-C. */
export function killAllChildren(): void {
  for (const child of living) child.killAgain('SIGKILL');
}

export function describeExit(exit: ExitStatus): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** The status of `exit`; a process that never ended (or never started) has neither code nor signal. */
export function exitStatus(exit: ExitStatus | undefined): ExitStatus {
  return { code: exit?.code ?? null, signal: exit?.signal ?? null };
}

export class Child {
  /** Set once `exited` settled. */
  exit?: ChildExit;
  readonly exited: Promise<ChildExit>;
  readonly name: string;
  /** performance.now() and process.hrtime (CLOCK_MONOTONIC, the child's clock too) when kill() last sent a signal. */
  signalledAt: number;
  signalledAtNs = 0n;
  private readonly process: ChildProcess;
  private readonly lineListeners: Array<(line: string, stream: OutputStream) => void> = [];
  private readonly waiters = new Set<() => void>();
  private kept = '';
  private endedAt?: number;
  private startError?: Error;
  private limited = false;

  /** `script` under node (this process's binary). */
  static node(script: string, { nodeOptions = [], launcher = [], ...options }: NodeChildOptions = {}): Child {
    const [command, ...args] = [...launcher, process.execPath, ...nodeOptions, script];
    return new Child(command, args, { name: script.split(/[\\/]/).pop(), ...options });
  }

  constructor(
    command: string,
    args: string[],
    private readonly options: ChildOptions = {},
  ) {
    this.name = options.name ?? [command, ...args.slice(-1)].join(' ');
    this.signalledAt = performance.now();
    this.process = spawn(command, args, {
      cwd: options.cwd,
      // Read by a program, not a terminal: no colours.
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    living.add(this);
    const limit = options.limitMs === undefined ? undefined : setTimeout(() => {
      this.limited = true;
      this.killAgain('SIGKILL');
    }, options.limitMs);
    this.follow(this.process.stdout!, 'stdout');
    this.follow(this.process.stderr!, 'stderr');
    this.process.once('exit', () => {
      this.endedAt = performance.now();
      living.delete(this);
    });
    this.exited = new Promise((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exit) return;
        clearTimeout(limit);
        living.delete(this);
        const at = this.endedAt ?? performance.now();
        this.exit = { code, signal, at, msAfterSignal: at - this.signalledAt };
        resolve(this.exit);
        this.wake();
      };
      this.process.once('close', (code, signal) => settle(this.startError ? null : code, signal));
      this.process.on('error', (error) => {
        // Also emitted when a signal could not be sent; only a process that never started ends here.
        if (this.process.pid !== undefined) return;
        this.startError = error;
        this.append(`(could not run ${command}: ${error.message})\n`);
        settle(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** stdout and stderr interleaved as they came (the tail, with `keepOutput`). */
  get output(): string {
    return this.kept;
  }

  /** Started and not ended yet. */
  get running(): boolean {
    return !this.startError && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Called with every line of output, the last one too when it has no newline. */
  onLine(listener: (line: string, stream: OutputStream) => void): void {
    this.lineListeners.push(listener);
  }

  /** Sends `signal` if the process still runs and starts the clock of `msAfterSignal`; true when sent. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (!this.running) return false;
    this.signalledAt = performance.now();
    this.signalledAtNs = process.hrtime.bigint();
    return this.process.kill(signal);
  }

  /** Sends `message` over the IPC channel (`ipc` option) and starts the clock of `msAfterSignal`, as kill() does. */
  send(message: unknown): void {
    if (!this.process.send) throw new Error(`${this.name} was started without an IPC channel`);
    this.signalledAt = performance.now();
    this.process.send(message as never);
  }

  /** Sends a further signal without restarting the clock. */
  killAgain(signal: NodeJS.Signals): boolean {
    return this.running && this.process.kill(signal);
  }

  /**
   * Waits until `predicate` holds on what was collected. Rejects, with the output so far, after
   * `timeoutMs` or once the child ended without it (its output read to the end).
   */
  async waitFor<T>(predicate: () => T | undefined | false, { timeoutMs = 10_000, what = 'a condition' }: WaitOptions = {}): Promise<T> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const ended = this.exit !== undefined;
      const value = predicate();
      if (value) return value;
      if (ended) throw new Error(`${this.describe()} before ${what}; its output:\n${this.output}`);
      if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} from ${this.name}; output so far:\n${this.output}`);
      // Woken by output or the end; the timer re-checks now and then whatever the predicate looks at.
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(50, Math.max(0, until - performance.now())));
        this.waiters.add(wake);
      });
    }
  }

  /** `signal`, then SIGKILL if it is still running after `graceMs`; resolves once it ended, or undefined if even that did not come within 2 s. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3_000): Promise<ChildExit | undefined> {
    if (this.running) {
      this.kill(signal);
      if (!(await settlesWithin(this.exited, graceMs))) this.killAgain('SIGKILL');
    }
    return (await settlesWithin(this.exited, 2_000)) ? this.exit : undefined;
  }

  /** One line: the name and how it ended, or that it still runs. */
  describe(): string {
    if (this.startError) return `${this.name} could not start (${this.startError.message})`;
    const limit = this.limited ? `, killed at its time limit of ${this.options.limitMs} ms` : '';
    if (this.running) return `${this.name} (pid ${this.pid}) is running${limit}`;
    return `${this.name} (pid ${this.pid}) exited with ${describeExit({ code: this.process.exitCode, signal: this.process.signalCode })}${limit}`;
  }

  private follow(stream: Readable, name: OutputStream): void {
    let partial = '';
    const emit = (line: string) => {
      for (const listener of this.lineListeners) listener(line, name);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.append(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(emit);
      this.wake();
    });
    stream.once('end', () => {
      if (partial) emit(partial);
      partial = '';
    });
  }

  private append(text: string): void {
    this.kept += text;
    const keep = this.options.keepOutput;
    // Trimmed in steps, not at every chunk.
    if (keep !== undefined && this.kept.length > keep * 2) this.kept = this.kept.slice(-keep);
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
