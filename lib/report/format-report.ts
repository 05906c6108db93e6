import type { HookReport, IntegrationReport, ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import { DRAIN_KIND_NAMES, INTEGRATION_NOUNS, onConnections } from '../messages.js';

/** Up to this many hooks, the report has one line per hook. */
export const LISTED_HOOKS = 50;

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
  // Lines in the order things ran: hooks before the drain, the drain, the other hooks. Past
  // LISTED_HOOKS hooks, those that went well are summed up in one line (a thousand log lines would
  // cost more than the hooks themselves).
  const summarize = report.hooks.length > LISTED_HOOKS;
  const listed = summarize ? report.hooks.filter((hook) => hook.status !== 'ok') : report.hooks;
  const labelWidth = Math.max(0, ...listed.map((hook) => `[order ${hook.order}] ${hook.name}`.length));
  const hookLines = (hooks: HookReport[]) => hooks.map((hook) => formatHook(hook, labelWidth));
  // What stopped first, at the trigger.
  lines.push(...(report.integrations ?? []).map(formatIntegration));
  lines.push(...hookLines(listed.filter((hook) => hook.order < 0)));
  if (report.drain) {
    const { kinds, cut, durationMs } = report.drain;
    // Requests always; other kinds when there was something of them.
    const shown = kinds.filter((kind) => kind.kind === 'requests' || kind.atStart + kind.finished + kind.cut > 0);
    const parts = shown.map(
      (kind) => `${kind.atStart} ${DRAIN_KIND_NAMES[kind.kind]}${onConnections(kind.connections)} at start, ${kind.finished} finished, ${kind.cut} cut`,
    );
    lines.push({ level: cut > 0 ? 'warn' : 'log', text: `  Drain: ${parts.join('; ')}, ${durationMs} ms` });
  }
  lines.push(...hookLines(listed.filter((hook) => hook.order >= 0)));
  if (summarize) lines.push(summarizeOk(report.hooks));
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

function summarizeOk(hooks: HookReport[]): ReportLine {
  const ok = hooks.filter((hook) => hook.status === 'ok');
  const slowest = [...ok].sort((a, b) => b.durationMs - a.durationMs).slice(0, 3);
  const detail = slowest.map((hook) => `${hook.name} ${hook.durationMs} ms`).join(', ');
  return { level: 'log', text: `  ${ok.length} other hook(s) ok${detail ? ` (slowest: ${detail})` : ''}` };
}

function formatIntegration(integration: IntegrationReport): ReportLine {
  const nouns = INTEGRATION_NOUNS[integration.name];
  if (integration.error !== undefined) return { level: 'error', text: `  ${integration.name}: failed to stop (${integration.error})` };
  const { stopped, inProgress, finished, unfinished, durationMs } = integration;
  return {
    level: unfinished > 0 ? 'warn' : 'log',
    text: `  ${integration.name}: ${stopped} ${nouns.stopped}; ${inProgress} ${nouns.work} in progress, ${finished} finished, ${unfinished} unfinished, ${durationMs} ms`,
  };
}

function formatHook(hook: HookReport, labelWidth: number): ReportLine {
  const level = hook.status === 'ok' ? 'log' : hook.status === 'skipped' ? 'warn' : 'error';
  const label = `[order ${hook.order}] ${hook.name}`.padEnd(labelWidth);
  const detail = hook.error ? ` (${hook.error})` : '';
  return { level, text: `  ${label} ${hook.status.padEnd(8)} ${hook.durationMs} ms${detail}` };
}
