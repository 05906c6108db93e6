export interface PlannedHook {
  name: string;
  order: number;
  timeout?: number;
  /** Hooks of the same order this one waits for: their providers depend on this hook's provider. */
  after: string[];
}

/** One step of the sequence, as `ShutdownService.plan()` shows it before anything runs. */
export type ShutdownPlanStep =
  | { step: 'hooks'; order: number; hooks: PlannedHook[] }
  | { step: 'drain' }
  | { step: 'nest-lifecycle' };
