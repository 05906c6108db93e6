export { ShutdownHealthIndicator, type ShutdownHealthResult } from './health/shutdown-health.indicator.js';
export type { ShutdownEvent, ShutdownEventListener } from './events/shutdown-event.interface.js';
export { OnShutdown } from './decorators/on-shutdown.decorator.js';
export * from './interfaces/index.js';
export type { ShutdownReportRecord } from './report/report-record.js';
export { ShutdownTimeoutError } from './run/shutdown-timeout.error.js';
export { ShutdownModule, type ShutdownModuleAsyncOptions } from './shutdown.module.js';
export { ShutdownService } from './shutdown.service.js';
