/**
 * What the benchmarks write to docs/: sections of docs/benchmarks.md between their markers, and
 * the latency chart. Every file is written to a temporary file then renamed: a reader never sees
 * half a file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

export const BENCHMARKS_FILE = join(REPO_ROOT, 'docs', 'benchmarks.md');
export const CHART_FILE = join(REPO_ROOT, 'docs', 'shutdown-latency.svg');

export const SECTION_ORDER = ['startup', 'latency', 'deadline', 'idle', 'cycles', 'requests'] as const;
export type SectionName = (typeof SECTION_ORDER)[number];
/** Every section of docs/benchmarks.md, in the file's order; rolling-restart is written by its own script. */
const DOC_SECTIONS = ['rolling-restart', ...SECTION_ORDER] as const;
type DocSection = (typeof DOC_SECTIONS)[number];

/**
 * Writes sections into docs/benchmarks.md: the file is read right before writing and only the text
 * between each section's markers is replaced (a missing section is appended, in the file's order),
 * so that sections written by another process stay as they are.
 */
export function writeSections(sections: Partial<Record<DocSection, string>>): void {
  let text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : '# Benchmarks\n';
  for (const name of DOC_SECTIONS) {
    const body = sections[name];
    if (body === undefined) continue;
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const block = `${start}\n${body.trim()}\n${end}`;
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    text = from !== -1 && to !== -1 ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  }
  writeWhole(BENCHMARKS_FILE, text);
}

export function writeChart(svg: string): void {
  writeWhole(CHART_FILE, svg);
}

/** A markdown table from a header row and rows. */
export function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
