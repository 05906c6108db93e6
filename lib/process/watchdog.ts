import { Worker } from 'node:worker_threads';

/** How long past the deadline the main thread may stay blocked before the watchdog ends the process. */
export const WATCHDOG_GRACE_MS = 100;

const LABEL_BYTES = 512;
const encoder = new TextEncoder();
const RUNNING = 0;
const FINISHED = 1;

/**
 * Runs on its own thread, so a main thread frozen by synchronous code cannot stop it. It sleeps on
 * shared memory until the main thread says the sequence is over, or until the kill time, when it
 * writes one line naming what was running and SIGKILLs the process (nothing else can end a process
 * whose only JavaScript thread is stuck; a shell shows 137).
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { state, label, killAt, deadlineMs } = workerData;
for (;;) {
  const wait = killAt - Date.now();
  if (Atomics.load(state, 0) !== ${RUNNING} || wait <= 0) break;
  Atomics.wait(state, 0, ${RUNNING}, wait);
}
if (Atomics.load(state, 0) === ${RUNNING}) {
  const running = Buffer.from(label.slice(0, Atomics.load(state, 1))).toString('utf8') || 'nothing known';
  writeSync(2, '[nestjs-shutdown] watchdog: the event loop is still blocked ' + (Date.now() - killAt + ${WATCHDOG_GRACE_MS}) +
    ' ms after the ' + deadlineMs + ' ms shutdown deadline; running: ' + running + '. Killing the process (SIGKILL).\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

/** A hard deadline for one shutdown run; costs nothing until armed, leaves no handle once stopped. */
export class Watchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly label = new Uint8Array(new SharedArrayBuffer(LABEL_BYTES));
  private readonly scratch = new Uint8Array(LABEL_BYTES);
  private readonly worker: Worker;

  constructor(deadlineAt: number, deadlineMs: number) {
    this.worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: { state: this.state, label: this.label, killAt: deadlineAt + WATCHDOG_GRACE_MS, deadlineMs },
      // It writes with writeSync(2) itself: no stream piped into the main thread.
      stdout: true,
      stderr: true,
    });
    // Never the reason a healthy process stays alive.
    this.worker.unref();
    this.worker.on('error', () => undefined);
  }

  /** What the main thread is doing, for the watchdog's line: called once per hook, so kept cheap. */
  setRunning(description: string): void {
    // A shared buffer can't be handed to encodeInto directly: encode into a local one, then copy.
    const { written } = encoder.encodeInto(description, this.scratch);
    this.label.set(this.scratch.subarray(0, written));
    Atomics.store(this.state, 1, written);
  }

  stop(): void {
    Atomics.store(this.state, 0, FINISHED);
    Atomics.notify(this.state, 0);
    void this.worker.terminate();
  }
}
