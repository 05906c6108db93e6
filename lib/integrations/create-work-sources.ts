import type { ModulesContainer } from '@nestjs/core';
import type { ResolvedShutdownOptions } from '../interfaces/shutdown-options.interface.js';
import { bullmqWorkSource } from './bullmq-work-source.js';
import { scheduleWorkSource } from './schedule-work-source.js';
import type { WorkSource } from './work-source.interface.js';

/** The integrations the options leave on, for the libraries this application uses. */
export function createWorkSources(
  container: ModulesContainer,
  integrations: ResolvedShutdownOptions['integrations'],
  logger: { warn(message: string): void },
): WorkSource[] {
  const sources: Array<WorkSource | undefined> = [
    integrations.schedule ? scheduleWorkSource(container, logger) : undefined,
    integrations.bullmq ? bullmqWorkSource(container, logger) : undefined,
  ];
  return sources.filter((source): source is WorkSource => source !== undefined);
}
