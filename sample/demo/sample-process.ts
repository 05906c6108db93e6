import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface OutputLine {
  /** performance.now() when the line arrived. */
  at: number;
  text: string;
}

export interface SampleExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() at the exit. */
  at: number;
}

/** The sample application in a child process: its output as timestamped lines, and its exit. */
export class SampleProcess {
  readonly lines: OutputLine[] = [];
  private readonly child: ChildProcess;
  private readonly onChange = new Set<() => void>();
  private exit?: SampleExit;
  /** Set once the output is read to the end too. */
  private closed?: SampleExit;

  constructor(script: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.follow(this.child.stdout!);
    this.follow(this.child.stderr!);
    this.child.once('exit', (code, signal) => (this.exit = { code, signal, at: performance.now() }));
    // 'close' comes after 'exit' and after the last output: nothing is missing from `lines` then.
    this.child.once('close', (code, signal) => this.close({ code, signal, at: performance.now() }));
    this.child.once('error', (error) => {
      this.lines.push({ at: performance.now(), text: `(could not run the sample: ${error.message})` });
      this.close({ code: null, signal: null, at: performance.now() });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `signal` unless the process is gone already; true when it was sent. */
  kill(signal: NodeJS.Signals): boolean {
    return !this.exit && this.child.kill(signal);
  }

  /** The first line matching `pattern`; rejects if the process exits first or `abort` aborts. */
  waitForLine(pattern: RegExp, abort: AbortSignal): Promise<RegExpMatchArray> {
    return this.waitFor(() => {
      for (const line of this.lines) {
        const match = line.text.match(pattern);
        if (match) return match;
      }
      if (this.closed) throw new Error(`the sample exited before logging ${pattern}`);
      return undefined;
    }, abort);
  }

  /** Resolves once `count` lines match `pattern`; rejects if the process exits first or `abort` aborts. */
  waitForLines(pattern: RegExp, count: number, abort: AbortSignal): Promise<number> {
    return this.waitFor(() => {
      const matching = this.lines.filter((line) => pattern.test(line.text)).length;
      if (matching >= count) return matching;
      if (this.closed) throw new Error(`the sample exited after logging ${matching} of ${count} lines like ${pattern}`);
      return undefined;
    }, abort);
  }

  waitForExit(abort: AbortSignal): Promise<SampleExit> {
    return this.waitFor(() => this.closed, abort);
  }

  /** Calls `check` on each new line and at the exit until it returns a value or throws. */
  private waitFor<T>(check: () => T | undefined, abort: AbortSignal): Promise<T> {
    return new Promise((resolve, reject) => {
      const tick = (): void => {
        let value: T | undefined;
        try {
          if (abort.aborted) throw abort.reason;
          value = check();
        } catch (error) {
          stop();
          return reject(error);
        }
        if (value === undefined) return;
        stop();
        resolve(value);
      };
      const stop = (): void => {
        this.onChange.delete(tick);
        abort.removeEventListener('abort', tick);
      };
      this.onChange.add(tick);
      abort.addEventListener('abort', tick);
      tick();
    });
  }

  private close(exit: SampleExit): void {
    this.exit ??= exit;
    this.closed ??= this.exit;
    this.notify();
  }

  private follow(stream: Readable): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const at = performance.now();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) this.lines.push({ at, text });
      this.notify();
    });
    stream.on('end', () => {
      if (partial) this.lines.push({ at: performance.now(), text: partial });
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of [...this.onChange]) listener();
  }
}
