import type { OutputLine } from './sample-process.js';

export interface TimelineEntry {
  /** performance.now() */
  at: number;
  who: 'app' | 'demo';
  text: string;
}

/**
 * Nest's console line without colours: `[Nest] <pid>  - <local date, time>   <LEVEL> [Context] message`.
 * The date's format depends on the locale: everything up to the level is dropped, whatever it looks like.
 */
const NEST_LINE = /^\[Nest\] \d+ +- .*? +(FATAL|ERROR|WARN|LOG|DEBUG|VERBOSE) (.*)$/;

/** The app's output and the demo's own steps, in time order, stamped in ms relative to `zero`. */
export function renderTimeline(
  appLines: readonly OutputLine[],
  demoSteps: readonly TimelineEntry[],
  zero: number,
): string[] {
  const entries: TimelineEntry[] = [
    ...appLines.map((line) => ({ at: line.at, who: 'app' as const, text: shorten(line.text) })),
    ...demoSteps,
  ];
  // Stable: lines that arrived in one chunk keep their order.
  entries.sort((a, b) => a.at - b.at);
  return entries.map(({ at, who, text }) => {
    const ms = Math.round(at - zero);
    const stamp = `${ms > 0 ? '+' : ms < 0 ? '-' : ' '}${Math.abs(ms)} ms`.padStart(9);
    return `${stamp}  ${who === 'demo' ? 'demo >>' : 'app    '} ${text}`;
  });
}

function shorten(text: string): string {
  const match = text.match(NEST_LINE);
  return match ? `${match[1].padEnd(5)} ${match[2]}` : text;
}
