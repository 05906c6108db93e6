/** The libraries whose work the library stops at the start of a shutdown, as they name themselves. */
export type IntegrationName = '@nestjs/schedule' | '@nestjs/bullmq';

/** What a source stopped, and the work it had in progress then. */
export interface StoppedWork {
  /** Jobs, timers or workers stopped. */
  stopped: number;
  /** Work running when it was stopped (a tick, a queue job). */
  inProgress: number;
  /** Resolves once that work ended; never rejects. */
  settled: Promise<void>;
  /** How much of `inProgress` still runs now. */
  unfinished(): number;
}

/**
 * Work the application gives itself (scheduled jobs, queue workers) from a library found in the
 * application: stopped at the very start of a shutdown, its work in progress waited for before the
 * hooks of order >= 0 close what it may use.
 */
export interface WorkSource {
  readonly name: IntegrationName;
  /** Every module's onModuleInit has run (queue workers exist now); before any run can start. */
  ready?(): void;
  /** Takes no new work from now on; synchronous, so that nothing starts in between. */
  stop(): StoppedWork;
}
