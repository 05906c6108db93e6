import type { RegisterHookOptions, ShutdownHookFunction } from './interfaces/register-hook-options.interface.js';
import type { ShutdownPlanStep } from './interfaces/shutdown-plan.interface.js';
import type { ShutdownReport } from './interfaces/shutdown-report.interface.js';
import { describePlan } from './planning/describe-plan.js';
import { ShutdownProcess } from './process/shutdown-process.js';
import { HookRegistry } from './registration/hook-registry.js';
import { ShutdownRunner } from './run/shutdown-runner.js';
import type { ShutdownHook } from './shutdown-hook.interface.js';

/** The library's public API inside the application: state, plan, and a shutdown started from code. */
export class ShutdownService {
  private report?: Promise<ShutdownReport>;

  constructor(
    private readonly runner: ShutdownRunner,
    private readonly process: ShutdownProcess,
    private readonly registry: HookRegistry,
  ) {}

  /** True from the moment a shutdown starts. */
  get isShuttingDown(): boolean {
    return this.runner.started;
  }

  /** The report of the shutdown that started, once one has; undefined before. */
  lastShutdown(): Promise<ShutdownReport> | undefined {
    const result = this.runner.result;
    if (result) this.report ??= result.then((settled) => settled.report);
    return this.report;
  }

  /** The signals that start the sequence. */
  get signals(): readonly NodeJS.Signals[] {
    return this.process.signals;
  }

  /**
   * Registers `hook` to run at shutdown as an @OnShutdown() method would: same `ShutdownContext`,
   * `order` and `timeout`, in the plan, the log and the report under `name` (unique across all
   * hooks). For what is no class of yours: a pool or a client made in a `useFactory`, an SDK.
   * Works before and after the application is initialised; returns a function that removes the
   * hook. Once the shutdown has started, a new hook would never run: it is refused with a warning.
   */
  register(name: string, hook: ShutdownHookFunction, options?: number | RegisterHookOptions): () => void {
    return this.registry.register(name, hook, options);
  }

  /** Hooks in the order they run (ascending order; within an order, dependents first). */
  listHooks(): ReadonlyArray<Pick<ShutdownHook, 'name' | 'order' | 'timeout'>> {
    return this.runner.hooks.map(({ name, order, timeout }) => ({ name, order, timeout }));
  }

  /** The sequence as it will run, before anything runs: hook groups by order, the drain, Nest's lifecycle. */
  plan(): ShutdownPlanStep[] {
    return describePlan(this.runner.hooks, this.runner.hasDrain, this.runner.workSources.map((source) => source.name));
  }

  /**
   * Runs the shutdown sequence (once: concurrent and repeated calls share one run) and resolves to
   * its report. With the `exit` option the process then exits, 0 when everything succeeded.
   */
  shutdown(reason = 'shutdown'): Promise<ShutdownReport> {
    return this.process.shutdown(reason);
  }
}
