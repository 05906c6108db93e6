import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { FatalWaitError, pollUntil, within, type PollOptions } from './wait.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How much of a child's output is kept for error messages. */
const OUTPUT_KEPT = 64 * 1024;

/**
 * One run of a command in a child process: its output (the tail of it), its exit, and a bounded
 * stop. Spawn failures (a missing binary) settle `exited` too, with the error in the output.
 */
export class ChildRun {
  readonly exited: Promise<ProcessExit>;
  exit?: ProcessExit;
  private readonly child: ChildProcess;
  private kept = '';
  private readonly lineListeners: Array<(line: string) => void> = [];

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: Record<string, string> = {},
  ) {
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.follow(this.child.stdout!);
    this.follow(this.child.stderr!);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.append(`(could not run ${command}: ${error.message})\n`);
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
      this.child.once('exit', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last OUTPUT_KEPT characters of stdout and stderr, interleaved as they came. */
  get output(): string {
    return this.kept;
  }

  get running(): boolean {
    return this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Called with every complete line of output, stdout and stderr alike. */
  onLine(listener: (line: string) => void): void {
    this.lineListeners.push(listener);
  }

  /** Sends `signal` if the process still runs; true when sent. */
  kill(signal: NodeJS.Signals): boolean {
    return this.running && this.child.kill(signal);
  }

  /** `signal`, then SIGKILL if it is still running after `graceMs`; resolves once it exited (bounded). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3_000): Promise<ProcessExit> {
    if (this.running) {
      this.kill(signal);
      await within(`${this.name} to exit`, this.exited, graceMs).catch(() => this.kill('SIGKILL'));
    }
    return within(`${this.name} to exit after SIGKILL`, this.exited, 2_000).catch(() => ({ code: null, signal: null }));
  }

  private follow(stream: NodeJS.ReadableStream): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.append(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) for (const listener of this.lineListeners) listener(line);
    });
  }

  private append(text: string): void {
    this.kept += text;
    if (this.kept.length > OUTPUT_KEPT * 2) this.kept = this.kept.slice(-OUTPUT_KEPT);
  }
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`; fails early if `run` exits. */
export async function waitForListening(run: ChildRun, port: number, options: PollOptions): Promise<void> {
  await pollUntil(
    `${run.name} to listen on 127.0.0.1:${port}`,
    async () => {
      if (!run.running) throw new ExitedError(run);
      return (await canConnect(port)) ? true : undefined;
    },
    { intervalMs: 50, ...options },
  );
}

export class ExitedError extends FatalWaitError {
  constructor(run: ChildRun) {
    super(`${run.name} exited (${JSON.stringify(run.exit)}) before it was ready; its output:\n${run.output}`);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
