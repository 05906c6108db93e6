import type { HookReport, ShutdownReport } from '../interfaces/shutdown-report.interface.js';

export interface ReportLine {
  level: 'log' | 'warn' | 'error';
  text: string;
}

/** The report as log lines: a summary, one line per hook, then the drain and Nest's lifecycle. */
export function formatReport(report: ShutdownReport): ReportLine[] {
  const lines: ReportLine[] = [
    {
      level: report.outcome === 'completed' ? 'log' : 'error',
      text: `Shutdown (${report.reason}) ${describeOutcome(report)} in ${report.durationMs} ms`,
    },
  ];
  // Lines in the order things ran: hooks before the drain, the drain, the other hooks.
  const labelWidth = Math.max(0, ...report.hooks.map((hook) => `[order ${hook.order}] ${hook.name}`.length));
  const hookLines = (hooks: HookReport[]) => hooks.map((hook) => formatHook(hook, labelWidth));
  lines.push(...hookLines(report.hooks.filter((hook) => hook.order < 0)));
  if (report.drain) {
    const { inFlightAtStart, completed, cut, durationMs } = report.drain;
    lines.push({
      level: cut > 0 ? 'warn' : 'log',
      text: `  HTTP drain: ${inFlightAtStart} in flight at start, ${completed} finished, ${cut} cut, ${durationMs} ms`,
    });
  }
  lines.push(...hookLines(report.hooks.filter((hook) => hook.order >= 0)));
  const { lifecycle } = report;
  lines.push({
    level: lifecycle.status === 'ok' ? 'log' : lifecycle.status === 'skipped' ? 'warn' : 'error',
    text: `  Nest lifecycle: ${lifecycle.status} ${lifecycle.durationMs} ms${lifecycle.error ? ` (${lifecycle.error})` : ''}`,
  });
  return lines;
}

function describeOutcome(report: ShutdownReport): string {
  if (report.outcome !== 'timedOut') return report.outcome;
  const running = report.runningAtDeadline;
  return `hit its deadline${running.length > 0 ? ` (still running: ${running.join(', ')})` : ''}`;
}

function formatHook(hook: HookReport, labelWidth: number): ReportLine {
  const level = hook.status === 'ok' ? 'log' : hook.status === 'skipped' ? 'warn' : 'error';
  const label = `[order ${hook.order}] ${hook.name}`.padEnd(labelWidth);
  const detail = hook.error ? ` (${hook.error})` : '';
  return { level, text: `  ${label} ${hook.status.padEnd(8)} ${hook.durationMs} ms${detail}` };
}

/** 0 when every hook and Nest's lifecycle succeeded, 1 otherwise. */
export function exitCodeOf(report: ShutdownReport): number {
  return report.outcome === 'completed' ? 0 : 1;
}
