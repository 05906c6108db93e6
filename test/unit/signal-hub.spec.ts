import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ProcessEventHub, type ExitFunction, type ProcessEventSubscriber } from '../../lib/process/process-event-hub.js';
import { signalExitCode } from '../../lib/validation/signals.js';

/** A hub of signals, as lib/process/signal-hub.ts makes it, with the exit replaced. */
const SignalHub = class extends ProcessEventHub<NodeJS.Signals> {
  constructor(exit: ExitFunction) {
    super(signalExitCode, exit);
  }
};

function subscriber(signals: NodeJS.Signals[], code: number | undefined, forceOnSecond = true) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const calls: string[] = [];
  const sub: ProcessEventSubscriber<NodeJS.Signals> = {
    events: signals,
    onEvent: async (signal) => {
      calls.push(`signal ${signal}`);
      await finished;
      return code;
    },
    onRepeat: (signal) => {
      calls.push(`second ${signal}`);
      return forceOnSecond;
    },
  };
  return { sub, calls, finish };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const unsubscribers: Array<() => void> = [];
afterEach(() => unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe()));

// process.emit() calls the listeners as a delivered signal would, without signalling the test runner.
const deliver = (signal: NodeJS.Signals) => (process.emit as (event: string, ...args: unknown[]) => boolean)(signal, signal);

describe('ProcessEventHub for signals', () => {
  it('adds one listener per signal whatever the number of subscribers, and removes it with the last', () => {
    const hub = new SignalHub(jest.fn());
    const before = process.listenerCount('SIGUSR2');
    const subs = Array.from({ length: 20 }, () => subscriber(['SIGUSR2'], 0).sub);
    const offs = subs.map((s) => hub.subscribe(s));
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    offs.slice(1).forEach((off) => off());
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    offs[0]();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect(hub.listenerCount).toBe(0);
  });

  it('runs every subscriber of the signal and exits once with the highest code, after all settled', async () => {
    const exit = jest.fn();
    const hub = new SignalHub(exit);
    const a = subscriber(['SIGUSR2'], 0);
    const b = subscriber(['SIGUSR2'], 1);
    const other = subscriber(['SIGHUP'], 0);
    unsubscribers.push(hub.subscribe(a.sub), hub.subscribe(b.sub), hub.subscribe(other.sub));
    deliver('SIGUSR2');
    expect(a.calls).toEqual(['signal SIGUSR2']);
    expect(b.calls).toEqual(['signal SIGUSR2']);
    expect(other.calls).toEqual([]);
    a.finish();
    await flush();
    expect(exit).not.toHaveBeenCalled();
    b.finish();
    await flush();
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('does not exit when no subscriber asks for it (exit: false)', async () => {
    const exit = jest.fn();
    const hub = new SignalHub(exit);
    const a = subscriber(['SIGUSR2'], undefined);
    unsubscribers.push(hub.subscribe(a.sub));
    deliver('SIGUSR2');
    a.finish();
    await flush();
    expect(exit).not.toHaveBeenCalled();
  });

  it('on a second signal during the run exits at once with 128 + the signal number', () => {
    const exit = jest.fn();
    const hub = new SignalHub(exit);
    const a = subscriber(['SIGINT', 'SIGTERM'], 0);
    unsubscribers.push(hub.subscribe(a.sub));
    deliver('SIGTERM');
    deliver('SIGINT');
    expect(a.calls).toEqual(['signal SIGTERM', 'second SIGINT']);
    expect(exit).toHaveBeenCalledWith(130);
    a.finish();
  });

  it('ignores a second signal when the subscribers decline to force (exit: false)', () => {
    const exit = jest.fn();
    const hub = new SignalHub(exit);
    const a = subscriber(['SIGTERM'], undefined, false);
    unsubscribers.push(hub.subscribe(a.sub));
    deliver('SIGTERM');
    deliver('SIGTERM');
    expect(a.calls).toEqual(['signal SIGTERM', 'second SIGTERM']);
    expect(exit).not.toHaveBeenCalled();
    a.finish();
  });

  it("never removes a listener somebody else added", () => {
    const hub = new SignalHub(jest.fn());
    const theirs = jest.fn();
    process.on('SIGUSR2', theirs);
    const off = hub.subscribe(subscriber(['SIGUSR2'], 0).sub);
    off();
    expect(process.listeners('SIGUSR2')).toContain(theirs);
    process.removeListener('SIGUSR2', theirs);
  });
});
