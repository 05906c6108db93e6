/**
 * What the benchmarks share: fresh child processes with a hard time limit, statistics, the
 * machine's description, and writing marker-delimited sections of docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository: the nearest directory above this file whose package.json is this package's. */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const BENCHMARKS_FILE = join(REPO_ROOT, 'docs', 'benchmarks.md');

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nestjs-shutdown') return dir;
    if (dirname(dir) === dir) throw new Error(`no nestjs-shutdown package.json above ${from}`);
  }
}

/** A compiled fixture, beside this file's compiled self. */
export function fixture(name: string): string {
  const path = fileURLToPath(new URL(`./fixtures/${name}.js`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: compile the benchmarks first (tsc -p tsconfig.bench.json)`);
  return path;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() of this process when the child's 'exit' event came. */
  at: number;
}

export interface ChildOptions {
  env?: Record<string, string>;
  nodeOptions?: string[];
  /** The child is SIGKILLed after this long, whatever it is doing. */
  limitMs: number;
}

const living = new Set<ChildProcess>();

/** Kills every child still running (the harness's own time limit, or an error). */
export function killAllChildren(): void {
  for (const child of living) child.kill('SIGKILL');
}

/**
 * One fixture in a fresh Node process. Its stdout is read line by line (drained as fast as it
 * comes, as a container runtime would); lines `READY {json}` and `RESULT {json}` are parsed.
 */
export class Child {
  readonly exited: Promise<ChildExit>;
  private readonly process: ChildProcess;
  private readonly tagged = new Map<string, unknown>();
  private readonly waiters: Array<() => void> = [];
  private stderr = '';
  private exit?: ChildExit;
  private limited = false;

  constructor(
    private readonly script: string,
    { env = {}, nodeOptions = [], limitMs }: ChildOptions,
  ) {
    this.process = spawn(process.execPath, [...nodeOptions, script], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    living.add(this.process);
    const limit = setTimeout(() => {
      this.limited = true;
      this.process.kill('SIGKILL');
    }, limitMs);
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        const at = performance.now();
        clearTimeout(limit);
        living.delete(this.process);
        this.exit = { code, signal, at };
        resolve(this.exit);
        this.wake();
      });
    });
    let pending = '';
    this.process.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const match = /^(READY|RESULT) (\{.*\})$/.exec(line);
        if (match) this.tagged.set(match[1], JSON.parse(match[2]));
        newline = pending.indexOf('\n');
      }
      this.wake();
    });
    this.process.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.stderr.length < 20_000) this.stderr += chunk;
    });
  }

  /** Waits for the `READY` or `RESULT` line; rejects if the child exits without it. */
  async line<T>(tag: 'READY' | 'RESULT'): Promise<T> {
    for (;;) {
      if (this.tagged.has(tag)) return this.tagged.get(tag) as T;
      if (this.exit) throw new Error(`${this.describe()} exited (${describeExit(this.exit)}) without a ${tag} line`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** process.hrtime of the last signal sent (CLOCK_MONOTONIC, shared with the child), in ns. */
  signalledAtNs = 0n;

  /** Sends the signal; returns performance.now() just before sending. */
  signal(signal: NodeJS.Signals): number {
    const at = performance.now();
    this.signalledAtNs = process.hrtime.bigint();
    this.process.kill(signal);
    return at;
  }

  /** What the child wrote to stderr (the first 20 000 characters). */
  get errorOutput(): string {
    return this.stderr;
  }

  /** For error messages: the script, whether the time limit killed it, and its stderr. */
  describe(): string {
    const name = this.script.split(/[\\/]/).pop();
    const stderr = this.stderr.trim() ? `\n--- stderr:\n${this.stderr.trim().slice(-4_000)}` : '';
    return `${name}${this.limited ? ' (killed at its time limit)' : ''}${stderr}`;
  }

  private wake(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}

export function describeExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `sample(variant)` for every variant, round after round, the variants interleaved and their
 * order rotated each round (A B, B A, ...; with three: A B C, B C A, C A B). The first `warmup`
 * rounds are discarded.
 */
export async function interleave<V extends string, R>(
  variants: readonly V[],
  { rounds, warmup }: { rounds: number; warmup: number },
  sample: (variant: V, round: number) => Promise<R>,
  progress?: (text: string) => void,
): Promise<Record<V, R[]>> {
  const results = Object.fromEntries(variants.map((variant) => [variant, [] as R[]])) as Record<V, R[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const variant of order) {
      const result = await sample(variant, round);
      if (round >= warmup) results[variant].push(result);
    }
    progress?.(round < warmup ? 'w' : '.');
  }
  return results;
}

export interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** `median (min-max)` in ms. */
export function msStats(s: Stats, digits = 1): string {
  return `${s.median.toFixed(digits)} ms (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

export function megabytes(bytes: number, digits = 2): string {
  return `${(bytes / 1024 / 1024).toFixed(digits)} MB`;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  date: string;
  load: string;
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown CPU',
    cores: cores.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(' / '),
  };
}

export function machineLine(machine: Machine): string {
  return (
    `Machine: ${machine.cpu}, ${machine.cores} core(s), ${machine.os}, Node ${machine.node}; ` +
    `load average at start ${machine.load} (1/5/15 min). Measured ${machine.date}.`
  );
}

/** A markdown table from a header row and rows. */
export function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const SECTION_ORDER = ['startup', 'latency', 'deadline', 'idle'] as const;
export type SectionName = (typeof SECTION_ORDER)[number];
/** Every section of docs/benchmarks.md, in the file's order; rolling-restart is written by its own script. */
const DOC_SECTIONS = ['rolling-restart', ...SECTION_ORDER] as const;
type DocSection = (typeof DOC_SECTIONS)[number];

/**
 * Writes sections into docs/benchmarks.md: the file is read right before writing and only the text
 * between each section's markers is replaced (a missing section is appended, in the file's order),
 * so that sections written by another process stay as they are. Written to a temporary file then
 * renamed: a reader never sees half a file.
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
  const temporary = `${BENCHMARKS_FILE}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, BENCHMARKS_FILE);
}
