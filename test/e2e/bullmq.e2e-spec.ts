import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../support/redis/redis-server.js';
import { killLeftovers, startApp, type AppSetup, type ChildApp } from './support/child-app.js';

let redis: RedisServer;
const queues: Queue[] = [];
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterEach(async () => {
  killLeftovers();
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  // A client given to a queue stays the giver's to close.
  for (const connection of clients.splice(0)) connection.disconnect();
});
afterAll(async () => {
  await redis?.stop();
});

let prefixes = 0;

/** The app with its worker, and this test's own view of the same queue in Redis, as a producer would have. */
async function start(setup: AppSetup): Promise<{ app: ChildApp; queue: Queue }> {
  const prefix = `test${++prefixes}`;
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  clients.push(connection);
  const queue = new Queue('jobs', { connection, prefix });
  queues.push(queue);
  const { app } = await startApp('bullmq-app', { ...setup, env: { REDIS_URL: redis.url, BULL_PREFIX: prefix, ...setup.env } });
  return { app, queue };
}

/** The first hook runs right after the trigger: once it started, the shutdown is under way. */
const FIRST = { name: 'first', order: -100, behaviour: 'ok' };
const triggered = (app: ChildApp) => app.waitFor(() => app.events.find((event) => event.type === 'hook-start' && event.name === 'first'), { what: 'the shutdown' });

describe('@nestjs/bullmq workers stop taking jobs at the trigger, against a real Redis', () => {
  it('a job added after SIGTERM stays waiting in Redis; the job in progress completes, its result in Redis', async () => {
    const { app, queue } = await start({ hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'wait:1500' }] });
    const inProgress = await queue.add('slow', { ms: 1_000 });
    await app.waitFor(() => app.eventsOf('job-start').find((event) => event.id === inProgress.id), { what: 'the job to start' });
    app.kill('SIGTERM');
    await triggered(app);
    const late = await queue.add('late', { ms: 10 });
    const exit = await app.exited;
    expect(exit.code).toBe(0);

    // What a client of the queue sees afterwards.
    const done = (await queue.getJob(inProgress.id!))!;
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toEqual({ done: inProgress.id });
    expect(await (await queue.getJob(late.id!))!.getState()).toBe('waiting');
    expect(app.eventsOf('job-start').map((event) => event.id)).toEqual([inProgress.id]);
    // It finished before the hooks of order >= 0 ran.
    const jobEnd = app.eventsOf('job-end')[0].t;
    const flushStart = app.events.find((event) => event.type === 'hook-start' && event.name === 'flush')!.t;
    expect(jobEnd).toBeLessThanOrEqual(flushStart);
    expect(app.output).toMatch(/@nestjs\/bullmq: 1 worker\(s\) closed; 1 job\(s\) in progress, 1 finished, 0 unfinished, \d+ ms/);
  });

  it('with integrations.bullmq false, the worker takes a new job during the shutdown (Nest closes it only in its teardown)', async () => {
    const { app, queue } = await start({ options: { integrations: { bullmq: false } }, hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'wait:1500' }] });
    app.kill('SIGTERM');
    await triggered(app);
    const late = await queue.add('late', { ms: 10 });
    expect((await app.exited).code).toBe(0);
    expect(await (await queue.getJob(late.id!))!.getState()).toBe('completed');
    expect(app.output).not.toContain('@nestjs/bullmq:');
  });

  it('a job longer than the window is reported unfinished and left active in Redis; its worker holds Nest teardown to the deadline', async () => {
    const { app, queue } = await start({ options: { timeout: 1_500, drainTimeout: 300 }, hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'ok' }] });
    const long = await queue.add('long', { ms: 10_000 });
    await app.waitFor(() => app.eventsOf('job-start').length > 0, { what: 'the job to start' });
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.output).toMatch(/@nestjs\/bullmq: 1 worker\(s\) closed; 1 job\(s\) in progress, 0 finished, 1 unfinished/);
    expect(app.output).toMatch(/hit its deadline \(still running: Nest's lifecycle hooks\)/);
    // The hooks of order >= 0 did not wait for it.
    expect(app.eventsOf('hook-end').map((event) => event.name)).toContain('flush');
    // No completion was recorded: the job keeps its lock until it expires, then BullMQ's stalled check gives it back.
    expect(await (await queue.getJob(long.id!))!.getState()).toBe('active');
  });
});
