import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, startApp, type ChildApp } from './support/child-app.js';

afterEach(killLeftovers);

/** nestjs-pino's lines: one JSON object per line of stdout. */
function jsonLines(app: ChildApp): Array<Record<string, unknown>> {
  return app.output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the report as one structured record, through nestjs-pino (structuredReport)', () => {
  it('a log pipeline finds the whole report in one JSON record, beside the human lines', async () => {
    const { app } = await startApp('pino-app', {
      options: { structuredReport: true },
      hooks: [
        { name: 'flush', order: 10, behaviour: 'wait:50' },
        { name: 'stop-consumer', order: -1, behaviour: 'ok' },
      ],
    });
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    const lines = jsonLines(app);
    const records = lines.filter((line) => 'shutdownReport' in line);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({ level: 30, context: 'Shutdown', msg: expect.stringMatching(/^Shutdown \(SIGTERM\) completed in \d+ ms$/) });
    expect(record.shutdownReport).toMatchObject({
      reason: 'SIGTERM',
      outcome: 'completed',
      hooks: [
        { name: 'stop-consumer', order: -1, status: 'ok' },
        { name: 'flush', order: 10, status: 'ok' },
      ],
      drain: { inFlightAtStart: 0, cut: 0 },
      lifecycle: { status: 'ok' },
      runningAtDeadline: [],
    });
    // The human lines are still there, each its own record, and the record comes after them.
    const messages = lines.filter((line) => line.context === 'Shutdown').map((line) => line.msg as string);
    expect(messages[0]).toMatch(/^Shutting down \(SIGTERM\): 2 hook\(s\)/);
    expect(messages).toContainEqual(expect.stringMatching(/\[order 10\] flush +ok/));
    expect(messages.indexOf(record.msg as string)).toBeLessThan(messages.lastIndexOf(record.msg as string));
  });

  it('a failed run gives the record at error level', async () => {
    const { app } = await startApp('pino-app', { options: { structuredReport: true }, hooks: [{ name: 'broken', behaviour: 'throw' }] });
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(1);
    const [record] = jsonLines(app).filter((line) => 'shutdownReport' in line);
    expect(record).toMatchObject({ level: 50, shutdownReport: { outcome: 'failed', hooks: [{ name: 'broken', status: 'failed', error: 'broken broke' }] } });
  });

  it('off by default: only the human lines', async () => {
    const { app } = await startApp('pino-app', { hooks: [{ name: 'flush', behaviour: 'ok' }] });
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    const lines = jsonLines(app);
    expect(lines.some((line) => 'shutdownReport' in line)).toBe(false);
    expect(lines.some((line) => /^Shutdown \(SIGTERM\) completed/.test(String(line.msg)))).toBe(true);
  });
});
