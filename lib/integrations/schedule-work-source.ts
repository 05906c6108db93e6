import type { ModulesContainer } from '@nestjs/core';
import { messages } from '../messages.js';
import { findProvider } from './find-provider.js';
import { InFlight } from './in-flight.js';
import type { StoppedWork, WorkSource } from './work-source.interface.js';

/** What the library uses of @nestjs/schedule's SchedulerRegistry (the same on schedule 6, for Nest 11, and 12). */
interface SchedulerRegistry {
  getCronJobs(): Map<string, CronJob>;
  getIntervals(): string[];
  getInterval(name: string): unknown;
  getTimeouts(): string[];
  getTimeout(name: string): unknown;
  addCronJob(name: string, job: CronJob): void;
  addInterval(name: string, ref: unknown): void;
  addTimeout(name: string, ref: unknown): void;
}

interface CronJob {
  stop(): unknown;
  readonly isActive?: boolean;
}

type Target = (...args: unknown[]) => unknown;

/** Its SchedulerOrchestrator: what it mounts at onApplicationBootstrap, the decorated methods' functions. */
interface SchedulerOrchestrator {
  cronJobs: Record<string, { target: Target; initialDelayRef?: NodeJS.Timeout }>;
  intervals: Record<string, { target: Target }>;
  timeouts: Record<string, { target: Target }>;
  addCron(target: Target, ...rest: unknown[]): unknown;
  addInterval(target: Target, ...rest: unknown[]): unknown;
  addTimeout(target: Target, ...rest: unknown[]): unknown;
}

const REGISTRY_METHODS = ['getCronJobs', 'getIntervals', 'getInterval', 'getTimeouts', 'getTimeout', 'addCronJob', 'addInterval', 'addTimeout'];
const ORCHESTRATOR_TABLES = ['cronJobs', 'intervals', 'timeouts'] as const;
const ORCHESTRATOR_ADDS = ['addCron', 'addInterval', 'addTimeout'] as const;

/**
 * @nestjs/schedule: at the trigger, every cron job is stopped and every interval and timeout cleared,
 * so none starts again; a tick already running goes on and is waited for. Ticks are counted by
 * wrapping the functions of @Cron/@Interval/@Timeout methods before they are mounted; jobs added to
 * the registry by hand are stopped but not waited for. Undefined when the app has no ScheduleModule.
 */
export function scheduleWorkSource(container: ModulesContainer, logger: { warn(message: string): void }): WorkSource | undefined {
  const registry = findProvider(container, 'ScheduleModule', 'SchedulerRegistry') as SchedulerRegistry | undefined;
  if (!registry) return undefined;
  if (!REGISTRY_METHODS.every((method) => typeof (registry as unknown as Record<string, unknown>)[method] === 'function')) {
    logger.warn(messages.integrationUnknownShape('@nestjs/schedule', 'SchedulerRegistry', 'schedule'));
    return undefined;
  }
  const orchestrator = findProvider(container, 'ScheduleModule', 'SchedulerOrchestrator') as SchedulerOrchestrator | undefined;
  const ticks = new InFlight();
  let stopped = false;
  const tracked = orchestrator && isOrchestrator(orchestrator);
  if (tracked) trackTicks(orchestrator, ticks, () => stopped);

  return {
    name: '@nestjs/schedule',
    stop(): StoppedWork {
      stopped = true;
      let count = 0;
      for (const job of registry.getCronJobs().values()) {
        if (job.isActive !== false) count++;
        stopCronJob(job);
      }
      // A job with an initialDelay is started by a timer of the orchestrator's: that timer goes too.
      if (tracked) for (const entry of Object.values(orchestrator.cronJobs)) clearTimeout(entry.initialDelayRef);
      for (const name of registry.getIntervals()) {
        clearInterval(registry.getInterval(name) as NodeJS.Timeout);
        count++;
      }
      for (const name of registry.getTimeouts()) {
        clearTimeout(registry.getTimeout(name) as NodeJS.Timeout);
        count++;
      }
      refuseLaterJobs(registry, logger);
      return { stopped: count, inProgress: ticks.size, settled: ticks.whenIdle(), unfinished: () => ticks.size };
    },
  };
}

/** cron's stop() returns a promise with `waitForCompletion`; neither that nor a throw may stop the others. */
function stopCronJob(job: CronJob): void {
  try {
    void Promise.resolve(job.stop()).catch(() => undefined);
  } catch {
    // A job that can't be stopped is the schedule's problem; Nest's own teardown tries again.
  }
}

function isOrchestrator(value: object): value is SchedulerOrchestrator {
  const candidate = value as Record<string, unknown>;
  return (
    ORCHESTRATOR_TABLES.every((table) => typeof candidate[table] === 'object' && candidate[table] !== null) &&
    ORCHESTRATOR_ADDS.every((add) => typeof candidate[add] === 'function')
  );
}

/**
 * Wraps the functions the orchestrator will mount (those known now, and those its explorer adds
 * later in its own onModuleInit): each tick is counted while it runs, and after the trigger none starts.
 */
function trackTicks(orchestrator: SchedulerOrchestrator, ticks: InFlight, isStopped: () => boolean): void {
  const wrap = (target: Target): Target =>
    function tick(this: unknown, ...args: unknown[]): unknown {
      if (isStopped()) return undefined;
      return ticks.track(target.apply(this, args));
    };
  for (const table of ORCHESTRATOR_TABLES) {
    for (const entry of Object.values(orchestrator[table])) entry.target = wrap(entry.target);
  }
  for (const add of ORCHESTRATOR_ADDS) {
    const original = orchestrator[add].bind(orchestrator);
    orchestrator[add] = (target: Target, ...rest: unknown[]) => original(typeof target === 'function' ? wrap(target) : target, ...rest);
  }
}

/** After the trigger, what is added to the registry (by hand, or mounted late) is stopped at once, and said. */
function refuseLaterJobs(registry: SchedulerRegistry, logger: { warn(message: string): void }): void {
  const addCronJob = registry.addCronJob.bind(registry);
  const addInterval = registry.addInterval.bind(registry);
  const addTimeout = registry.addTimeout.bind(registry);
  registry.addCronJob = (name, job) => {
    addCronJob(name, job);
    stopCronJob(job);
    logger.warn(messages.scheduledAfterTrigger('cron job', name));
  };
  registry.addInterval = (name, ref) => {
    addInterval(name, ref);
    clearInterval(ref as NodeJS.Timeout);
    logger.warn(messages.scheduledAfterTrigger('interval', name));
  };
  registry.addTimeout = (name, ref) => {
    addTimeout(name, ref);
    clearTimeout(ref as NodeJS.Timeout);
    logger.warn(messages.scheduledAfterTrigger('timeout', name));
  };
}
