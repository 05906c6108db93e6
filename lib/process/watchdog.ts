import { writeSync } from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { describeError } from '../report/describe-error.js';
import { describeRunning, NAMED_RUNNING_HOOKS, PHASE_NAMES } from '../messages.js';

/** How long past the deadline the main thread may stay blocked before the watchdog ends the process. */
export const WATCHDOG_GRACE_MS = 100;

/** What the run is doing besides hooks, as the watchdog's line names it. */
export type WatchdogPhase = 'hooks' | 'delay' | 'drain' | 'lifecycle' | 'work';
const PHASES: readonly WatchdogPhase[] = ['hooks', 'delay', 'drain', 'lifecycle', 'work'];

// Slots of the shared Int32Array.
const RUN = 0; // RUNNING until the main thread says the sequence is over
const PHASE = 1; // index in PHASES
const NEWEST = 2; // index of the hook started last, -1 before any
const RUNNING = 0;
const FINISHED = 1;

// Per-hook states in the shared Int8Array; 0 is "not started".
const HOOK_RUNNING = 1;
const HOOK_OK = 2;
const HOOK_FAILED = 3;
/** Cut by its own timeout: reported, but it may still run, and may be what blocks. */
const HOOK_TIMED_OUT = 4;
const STATE_NAMES = ['not started', 'running', 'ok', 'failed', 'timed out'];
const SETTLED_STATES = { ok: HOOK_OK, failed: HOOK_FAILED, timedOut: HOOK_TIMED_OUT } as const;

/** Hooks listed one a line in the watchdog's partial report; the rest are counted by state. */
const LISTED_HOOKS = 50;

/**
 * Runs on its own thread, so a main thread frozen by synchronous code cannot stop it. It sleeps on
 * shared memory until the main thread says the sequence is over, or until the kill time, when it
 * writes one line naming what was running and SIGKILLs the process (nothing else can end a process
 * whose only JavaScript thread is stuck; a shell shows 137). It receives the hooks' names once, and
 * reads which ones run from shared memory: the main thread only stores a few integers per hook.
 * It names the hook started last first, the likeliest to block the loop, and writes the whole
 * partial report in one synchronous write: an asynchronous logger may never flush. (No comments
 * inside the source: it is a string in every process's heap.)
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { slots, hooks, names, orders, killAt, deadlineMs } = workerData;
for (;;) {
  const wait = killAt - Date.now();
  if (Atomics.load(slots, ${RUN}) !== ${RUNNING} || wait <= 0) break;
  Atomics.wait(slots, ${RUN}, ${RUNNING}, wait);
}
if (Atomics.load(slots, ${RUN}) === ${RUNNING}) {
  const phase = ${JSON.stringify(PHASES)}[Atomics.load(slots, ${PHASE})];
  const mayRun = (i) => hooks[i] === ${HOOK_RUNNING} || hooks[i] === ${HOOK_TIMED_OUT};
  const newest = Atomics.load(slots, ${NEWEST});
  const running = [];
  if (newest >= 0 && mayRun(newest)) running.push(names[newest]);
  for (let i = names.length - 1; i >= 0; i--) if (i !== newest && mayRun(i)) running.push(names[i]);
  const describeRunning = ${describeRunning.toString()};
  const described = describeRunning(phase, running, ${JSON.stringify(PHASE_NAMES)}, ${NAMED_RUNNING_HOOKS});
  const states = ${JSON.stringify(STATE_NAMES)};
  const counts = states.map(() => 0);
  const lines = [];
  for (let i = 0; i < names.length; i++) {
    counts[hooks[i]]++;
    if (i < ${LISTED_HOOKS}) lines.push('  [order ' + orders[i] + '] ' + names[i] + ' ' + states[hooks[i]]);
  }
  if (names.length > ${LISTED_HOOKS}) lines.push('  ' + (names.length - ${LISTED_HOOKS}) + ' more hook(s)');
  const summary = states.map((state, at) => counts[at] + ' ' + state).filter((text) => !text.startsWith('0 ')).join(', ');
  writeSync(2, '[nestjs-shutdown] watchdog: the event loop is still blocked ' + (Date.now() - killAt + ${WATCHDOG_GRACE_MS}) +
    ' ms after the ' + deadlineMs + ' ms shutdown deadline; running: ' + described + '. Killing the process (SIGKILL).\\n' +
    '[nestjs-shutdown] watchdog: partial report, phase ' + phase + (summary ? ': ' + summary : '') + '\\n' +
    lines.map((line) => '[nestjs-shutdown] ' + line + '\\n').join(''));
  process.kill(process.pid, 'SIGKILL');
}
`;

/**
 * Why this process can't have a watchdog thread, if it can't: Node's permission model
 * (`--permission`) refuses worker threads unless `--allow-worker` is given.
 */
export function watchdogUnavailable(): string | undefined {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  if (permission && !permission.has('worker')) {
    return "Node's permission model refuses worker threads (add --allow-worker)";
  }
  return undefined;
}

/** A hard deadline for one shutdown run; costs nothing until armed, leaves no handle once stopped. */
export class Watchdog {
  private readonly slots = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly hooks: Int8Array;
  private readonly worker: WorkerThreads.Worker;

  /** `hooks[i]` is the hook that `hookStarted(i)` and `hookSettled(i)` are about. */
  constructor(deadlineAt: number, deadlineMs: number, hooks: ReadonlyArray<{ name: string; order: number }>) {
    this.hooks = new Int8Array(new SharedArrayBuffer(Math.max(hooks.length, 1)));
    Atomics.store(this.slots, NEWEST, -1);
    // Loaded when a run starts, not with the library: its modules would stay in every idle process's heap (≈ 40 KiB).
    const threads: typeof WorkerThreads = process.getBuiltinModule('node:worker_threads');
    this.worker = new threads.Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        slots: this.slots,
        hooks: this.hooks,
        names: hooks.map((hook) => hook.name),
        orders: hooks.map((hook) => hook.order),
        killAt: deadlineAt + WATCHDOG_GRACE_MS,
        deadlineMs,
      },
      // Nothing to copy: the thread never reads the environment.
      env: threads.SHARE_ENV,
      // It writes with writeSync(2) itself: no stream piped into the main thread.
      stdout: true,
      stderr: true,
    });
    // Never the reason a healthy process stays alive.
    this.worker.unref();
    // Its failure must not end the shutdown, nor go unseen: without it the deadline is soft again.
    this.worker.on('error', (error) => {
      try {
        writeSync(2, `[nestjs-shutdown] watchdog thread failed (${describeError(error)}): the deadline can't stop a blocked event loop\n`);
      } catch {
        // stderr closed.
      }
    });
  }

  // Called once per hook: stores to shared memory, nothing else. A byte is never torn, and the
  // watchdog reads these a grace period after the main thread stopped writing.
  hookStarted(index: number): void {
    this.hooks[index] = HOOK_RUNNING;
    Atomics.store(this.slots, NEWEST, index);
  }

  hookSettled(index: number, status: keyof typeof SETTLED_STATES): void {
    this.hooks[index] = SETTLED_STATES[status];
  }

  setPhase(phase: WatchdogPhase): void {
    Atomics.store(this.slots, PHASE, PHASES.indexOf(phase));
  }

  stop(): void {
    Atomics.store(this.slots, RUN, FINISHED);
    Atomics.notify(this.slots, RUN);
    void this.worker.terminate();
  }
}
