import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable, Module, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnShutdown, ShutdownModule, type ShutdownEvent, type ShutdownEventListener } from '../../lib/index.js';
import { simulateShutdown, simulateSignal } from '../../lib/testing/index.js';

const seen: ShutdownEvent[] = [];

@Injectable()
class Outbox {
  @OnShutdown(1)
  flush() {}
}

@Injectable()
class Broken {
  @OnShutdown(2)
  fail() {
    throw new Error('flush failed');
  }
}

@Injectable()
class Metrics implements ShutdownEventListener {
  onShutdownEvent(event: ShutdownEvent) {
    seen.push(event);
  }
}

@Injectable()
class FaultyListener implements ShutdownEventListener {
  onShutdownEvent(): void {
    throw new Error('listener broke');
  }
}

async function boot(providers: unknown[], logger: LoggerService | false = false) {
  // exit stays at its default (true): the helpers record the exit instead of making it.
  @Module({ imports: [ShutdownModule.forRoot({ logger })], providers: providers as never })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

describe('testing helpers (nestjs-shutdown/testing)', () => {
  it('simulateSignal runs the real signal path and returns the report and the exit code the process would get', async () => {
    const app = await boot([Outbox]);
    const before = process.listenerCount('SIGTERM');
    const { report, exitCode } = await simulateSignal(app, 'SIGTERM');
    expect(report).toMatchObject({ reason: 'SIGTERM', outcome: 'completed', hooks: [{ name: 'Outbox.flush', status: 'ok' }] });
    expect(exitCode).toBe(0);
    // The application is closed: its listeners are gone.
    expect(process.listenerCount('SIGTERM')).toBe(before - 1);
  });

  it('reports exit code 1 when a hook failed', async () => {
    const app = await boot([Outbox, Broken]);
    const { report, exitCode } = await simulateShutdown(app, 'deploy');
    expect(report.outcome).toBe('failed');
    expect(exitCode).toBe(1);
  });

  it('refuses a signal the module does not listen to', async () => {
    const app = await boot([]);
    await expect(simulateSignal(app, 'SIGHUP')).rejects.toThrow('simulateSignal: ShutdownModule does not listen to SIGHUP');
    await app.close();
  });
});

describe('ShutdownEventListener', () => {
  it('hears the sequence in order; a failing listener, even the first, is logged and disturbs neither the others nor the sequence', async () => {
    seen.length = 0;
    const errors: string[] = [];
    const logger = { log() {}, warn() {}, error: (message: string) => errors.push(message) };
    const app = await boot([FaultyListener, Outbox, Metrics], logger);
    const { report } = await simulateShutdown(app);
    expect(errors).toContain('FaultyListener.onShutdownEvent(shutdown.started) failed: listener broke');
    expect(report.outcome).toBe('completed');
    expect(seen.map((event) => event.type)).toEqual(['shutdown.started', 'hook.started', 'hook.finished', 'shutdown.finished']);
    expect(seen[0]).toMatchObject({ type: 'shutdown.started', reason: 'test' });
    expect(seen[2]).toMatchObject({ type: 'hook.finished', hook: { name: 'Outbox.flush', status: 'ok' } });
    expect(seen[3]).toEqual({ type: 'shutdown.finished', report });
  });
});
