import type { Drain } from '../drain/drain.interface.js';
import type { WorkSource } from '../integrations/work-source.interface.js';
import { ShutdownEventEmitter } from '../events/shutdown-event-emitter.js';
import type { ResolvedShutdownOptions } from '../interfaces/shutdown-options.interface.js';
import { ShutdownLogger } from '../logging/shutdown-logger.js';
import { HookRegistry } from '../registration/hook-registry.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';
import { ShutdownRun, type RunResult } from './shutdown-run.js';
import type { ShutdownTrigger } from './shutdown-trigger.js';

/** What the application gives the runner once it is initialised (the hooks are the registry's). */
export interface RunSetup {
  events: ShutdownEventEmitter;
  drain?: Drain;
  /** Libraries whose work stops at the first moment of a run. */
  work: readonly WorkSource[];
  nestLifecycle(signal?: string): Promise<void>;
}

const NOTHING_SET_UP: RunSetup = {
  events: new ShutdownEventEmitter(() => [], { error: () => undefined }),
  work: [],
  nestLifecycle: () => Promise.resolve(),
};

/**
 * The one owner of "a shutdown is running" for an application: every trigger (signal, fatal error,
 * `shutdown()`, `app.close()`) starts the run here, or joins the one that started.
 */
export class ShutdownRunner {
  private setup: RunSetup = NOTHING_SET_UP;
  private run?: ShutdownRun;
  private finished = false;
  private readonly finishedListeners: Array<() => void> = [];

  constructor(
    private readonly options: ResolvedShutdownOptions,
    private readonly logger: ShutdownLogger,
    private readonly registry: HookRegistry,
  ) {}

  prepare(setup: RunSetup): void {
    this.setup = setup;
  }

  get hooks(): readonly ShutdownHook[] {
    return this.registry.hooks;
  }

  get hasDrain(): boolean {
    return this.setup.drain !== undefined;
  }

  /** The libraries whose work the run stops first. */
  get workSources(): readonly WorkSource[] {
    return this.setup.work;
  }

  /** True from the moment a shutdown starts. */
  get started(): boolean {
    return this.run !== undefined;
  }

  /** The run's result, once one has started. */
  get result(): Promise<RunResult> | undefined {
    return this.run?.result;
  }

  /** True while a run is under way: started and not yet reported. */
  get running(): boolean {
    return this.run !== undefined && !this.finished;
  }

  /** What runs now, in words. */
  describeRunning(): string {
    return this.run?.describeRunning() ?? 'nothing';
  }

  /** Starts the run once; later triggers join it. `endsProcess` arms the hard deadline, even on a run already going. */
  start(trigger: ShutdownTrigger, endsProcess: boolean): Promise<RunResult> {
    if (this.run) {
      if (endsProcess) this.run.endsProcess();
      return this.run.result;
    }
    const { events, drain, work, nestLifecycle } = this.setup;
    const hooks = this.registry.runStarted(trigger.reason);
    this.run = new ShutdownRun(trigger, { hooks, events, drain, work, nestLifecycle, options: this.options, logger: this.logger }, endsProcess);
    void this.run.result.then(() => {
      this.finished = true;
      drain?.detach();
      for (const listener of this.finishedListeners.splice(0)) listener();
    });
    return this.run.result;
  }

  /** Called once the run is over (listeners and followers are released then). */
  onFinished(listener: () => void): void {
    this.finishedListeners.push(listener);
  }
}
