import { afterEach, describe, expect, it } from '@jest/globals';
import { ProcessEventHub } from '../../lib/process/process-event-hub.js';

const unsubscribers: Array<() => void> = [];
afterEach(() => unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe()));

// process.emit() calls the listeners as a delivered signal would, without signalling the test runner.
const deliver = (signal: NodeJS.Signals) => (process.emit as (event: string, ...args: unknown[]) => boolean)(signal, signal);

function subscriber(events: NodeJS.Signals[]) {
  const calls: string[] = [];
  return { calls, sub: { events, onEvent: (event: NodeJS.Signals) => void calls.push(event) } };
}

describe('ProcessEventHub for signals', () => {
  it('adds one listener per signal whatever the number of subscribers, and removes it with the last', () => {
    const hub = new ProcessEventHub<NodeJS.Signals>();
    const before = process.listenerCount('SIGUSR2');
    const offs = Array.from({ length: 20 }, () => hub.subscribe(subscriber(['SIGUSR2']).sub));
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    offs.slice(1).forEach((off) => off());
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    offs[0]();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect(hub.listenerCount).toBe(0);
  });

  it('tells every subscriber of the signal, each time it comes, and no other subscriber', () => {
    const hub = new ProcessEventHub<NodeJS.Signals>();
    const a = subscriber(['SIGUSR2']);
    const b = subscriber(['SIGUSR2', 'SIGHUP']);
    const other = subscriber(['SIGHUP']);
    unsubscribers.push(hub.subscribe(a.sub), hub.subscribe(b.sub), hub.subscribe(other.sub));
    deliver('SIGUSR2');
    deliver('SIGUSR2');
    expect(a.calls).toEqual(['SIGUSR2', 'SIGUSR2']);
    expect(b.calls).toEqual(['SIGUSR2', 'SIGUSR2']);
    expect(other.calls).toEqual([]);
  });

  it('lets a subscriber unsubscribe while being told, without skipping the next one', () => {
    const hub = new ProcessEventHub<NodeJS.Signals>();
    const b = subscriber(['SIGUSR2']);
    const off = hub.subscribe({ events: ['SIGUSR2'], onEvent: () => off() });
    unsubscribers.push(hub.subscribe(b.sub));
    deliver('SIGUSR2');
    expect(b.calls).toEqual(['SIGUSR2']);
  });

  it('never removes a listener somebody else added', () => {
    const hub = new ProcessEventHub<NodeJS.Signals>();
    const theirs = () => undefined;
    process.on('SIGUSR2', theirs);
    const off = hub.subscribe(subscriber(['SIGUSR2']).sub);
    off();
    expect(process.listeners('SIGUSR2')).toContain(theirs);
    process.removeListener('SIGUSR2', theirs);
  });
});
