import { connect } from 'node:net';
import { Child } from '../child-process.js';
import { FatalWaitError, pollUntil, type PollOptions } from './wait.js';

/** How much of a process's output is kept for error messages. */
const OUTPUT_KEPT = 64 * 1024;

/** A process of the scenario (an instance of the app, HAProxy), the tail of its output kept. */
export function startProcess(name: string, command: string, args: string[], env: Record<string, string> = {}): Child {
  return new Child(command, args, { name, env, keepOutput: OUTPUT_KEPT });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`; fails early if `run` exits. */
export async function waitForListening(run: Child, port: number, options: PollOptions): Promise<void> {
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
  constructor(run: Child) {
    super(`${run.describe()} before it was ready; its output:\n${run.output}`);
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
