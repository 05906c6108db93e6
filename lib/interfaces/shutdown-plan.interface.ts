export interface PlannedHook {
  name: string;
  order: number;
  timeout?: number;
  /** Hooks of the same order this one waits for: their providers depend on this hook's provider. */
  after: string[];
}

/** One step of the sequence, as `ShutdownService.plan()` shows it before anything runs. */
export type ShutdownPlanStep =
  /** First of all: the work of these libraries stops (see the `integrations` option). */
  | { step: 'stop-work'; integrations: Array<'@nestjs/schedule' | '@nestjs/bullmq'> }
  | { step: 'hooks'; order: number; hooks: PlannedHook[] }
  | { step: 'drain' }
  | { step: 'nest-lifecycle' };
