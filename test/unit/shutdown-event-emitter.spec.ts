import { describe, expect, it } from '@jest/globals';
import { ShutdownEventEmitter } from '../../lib/events/shutdown-event-emitter.js';
import type { ShutdownEvent, ShutdownEventListener } from '../../lib/events/shutdown-event.interface.js';

const started: ShutdownEvent = { type: 'shutdown.started', reason: 'test', deadline: 0 };

describe('ShutdownEventEmitter', () => {
  it('lists the listeners it is given as a function once, on first need', () => {
    const seen: string[] = [];
    const listener: ShutdownEventListener = { onShutdownEvent: (event) => void seen.push(event.type) };
    let listed = 0;
    const emitter = new ShutdownEventEmitter(() => (listed++, [listener]), { error: () => undefined });
    expect(listed).toBe(0);
    expect(emitter.hasListeners).toBe(true);
    emitter.emit(started);
    emitter.emit(started);
    expect(listed).toBe(1);
    expect(seen).toEqual(['shutdown.started', 'shutdown.started']);
  });

  it('a listing that throws sends no event and says so once, without throwing', () => {
    const errors: string[] = [];
    const emitter = new ShutdownEventEmitter(
      () => {
        throw new Error('a Proxy refused');
      },
      { error: (message) => void errors.push(message) },
    );
    expect(() => emitter.emit(started)).not.toThrow();
    expect(emitter.hasListeners).toBe(false);
    emitter.emit(started);
    expect(errors).toEqual(['The ShutdownEventListeners could not be listed (a Proxy refused): no shutdown event is sent']);
  });
});
