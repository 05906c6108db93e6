import type { ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import type { ReportLine } from './format-report.js';

/** What the `structuredReport` option logs: one object, whose keys a JSON logger writes as one record's. */
export interface ShutdownReportRecord {
  /** The summary line (`Shutdown (SIGTERM) completed in 1243 ms`): pino's message key. */
  msg: string;
  shutdownReport: ShutdownReport;
}

/** The record and its level, those of the report's summary line. */
export function reportRecord(report: ShutdownReport, summary: ReportLine): { level: ReportLine['level']; record: ShutdownReportRecord } {
  return { level: summary.level, record: { msg: summary.text, shutdownReport: report } };
}
