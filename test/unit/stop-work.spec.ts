import { describe, expect, it } from '@jest/globals';
import type { WorkSource } from '../../lib/integrations/work-source.interface.js';
import { StopWork } from '../../lib/run/stop-work.js';

/** A source whose work in progress ends when the test says. */
function source(name: WorkSource['name'], inProgress: number): WorkSource & { order: string[]; finish(): void } {
  let finish = (): void => undefined;
  let running = inProgress;
  const order: string[] = [];
  return {
    name,
    order,
    finish: () => finish(),
    stop: () => {
      order.push(`stop ${name}`);
      return {
        stopped: 2,
        inProgress,
        settled: new Promise<void>((resolve) => {
          finish = () => {
            running = 0;
            resolve();
          };
        }),
        unfinished: () => running,
      };
    },
  };
}

describe('StopWork', () => {
  it('stops every source at once; reports the work that finished and what the limit left running', async () => {
    const schedule = source('@nestjs/schedule', 1);
    const bullmq = source('@nestjs/bullmq', 2);
    const work = new StopWork([schedule, bullmq], { error: () => undefined });
    // Synchronously, in the constructor: nothing starts between the trigger and the stop.
    expect([...schedule.order, ...bullmq.order]).toEqual(['stop @nestjs/schedule', 'stop @nestjs/bullmq']);
    expect(work.pending).toBe(true);
    schedule.finish();
    const started = performance.now();
    await work.wait(100);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(work.pending).toBe(true);
    expect(work.report()).toEqual([
      { name: '@nestjs/schedule', stopped: 2, inProgress: 1, finished: 1, unfinished: 0, durationMs: expect.any(Number) },
      { name: '@nestjs/bullmq', stopped: 2, inProgress: 2, finished: 0, unfinished: 2, durationMs: expect.any(Number) },
    ]);
    bullmq.finish();
    await work.wait(1_000);
    expect(work.pending).toBe(false);
    expect(work.report()[1]).toMatchObject({ finished: 2, unfinished: 0 });
  });

  it('a source that throws is reported failed and logged; the others are stopped all the same', () => {
    const errors: string[] = [];
    const broken: WorkSource = {
      name: '@nestjs/schedule',
      stop: () => {
        throw new Error('registry gone');
      },
    };
    const bullmq = source('@nestjs/bullmq', 0);
    const work = new StopWork([broken, bullmq], { error: (message) => void errors.push(message) });
    expect(bullmq.order).toEqual(['stop @nestjs/bullmq']);
    expect(errors).toEqual(["Stopping @nestjs/schedule's work failed: registry gone"]);
    expect(work.report()[0]).toEqual({ name: '@nestjs/schedule', stopped: 0, inProgress: 0, finished: 0, unfinished: 0, durationMs: 0, error: 'registry gone' });
  });
});
