/** The shape every benchmark of run-all.ts hands back. */
import type { SectionName } from './write-docs.js';

export interface Goal {
  /** What is promised, e.g. "with / without ≤ 1.03". */
  goal: string;
  /** The figure measured, formatted. */
  figure: string;
  met: boolean;
}

export interface BenchResult {
  section: SectionName;
  title: string;
  /** Printed to the terminal: tables and notes, markdown-ish. */
  terminal: string;
  /** The body written between the section's markers in docs/benchmarks.md. */
  markdown: string;
  goals: Goal[];
  /** Raw figures (ms, bytes, counts, ratios), for the smoke test and for anyone reading the JSON. */
  figures: Record<string, number>;
}

export interface BenchContext {
  /** Progress output (dots), no newline added. */
  progress(text: string): void;
  /** A line of commentary. */
  log(text: string): void;
}

export function goalsTable(goals: Goal[]): string {
  return [
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...goals.map((goal) => `| ${goal.goal} | ${goal.figure} | ${goal.met ? '**met**' : '**missed**'} |`),
  ].join('\n');
}
