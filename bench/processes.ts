/**
 * The benchmarks' processes: each fixture in a fresh Node process (test/support/child-process.ts),
 * with a hard time limit. Its output is read as it comes, as a container runtime would; lines
 * `READY {json}` and `RESULT {json}` of its stdout are parsed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Child } from '../test/support/child-process.js';
import { REPO_ROOT } from './repo-root.js';

export { describeExit, killAllChildren, type ChildExit } from '../test/support/child-process.js';

/** A compiled fixture, beside this file's compiled self. */
export function fixture(name: string): string {
  const path = fileURLToPath(new URL(`./fixtures/${name}.js`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: compile the benchmarks first (tsc -p tsconfig.bench.json)`);
  return path;
}

export interface FixtureOptions {
  env?: Record<string, string>;
  nodeOptions?: string[];
  /** A command node runs under, e.g. `taskset -c 0` to pin it to a core. */
  launcher?: string[];
  /** The child is SIGKILLed after this long, whatever it is doing. */
  limitMs: number;
}

type Tag = 'READY' | 'RESULT';

const STDERR_KEPT = 20_000;

export class FixtureProcess extends Child {
  private readonly tagged = new Map<Tag, unknown>();
  private stderr = '';

  constructor(script: string, { env = {}, nodeOptions = [], launcher = [], limitMs }: FixtureOptions) {
    const [command, ...args] = [...launcher, process.execPath, ...nodeOptions, script];
    super(command, args, {
      cwd: REPO_ROOT,
      env,
      name: script.split(/[\\/]/).pop(),
      // A shutdown report of thousands of hooks: only the end is of use in a message.
      keepOutput: 64 * 1024,
      limitMs,
    });
    this.onLine((line, stream) => {
      if (stream === 'stderr') {
        if (this.stderr.length < STDERR_KEPT) this.stderr += `${line}\n`;
        return;
      }
      const match = /^(READY|RESULT) (\{.*\})$/.exec(line);
      if (match) this.tagged.set(match[1] as Tag, JSON.parse(match[2]));
    });
  }

  /** Waits for the `READY` or `RESULT` line; rejects if the child ends without it. */
  async line<T>(tag: Tag): Promise<T> {
    await this.waitFor(() => this.tagged.has(tag), { timeoutMs: Infinity, what: `a ${tag} line` });
    return this.tagged.get(tag) as T;
  }

  /** What the child wrote to stderr (the first 20 000 characters). */
  get errorOutput(): string {
    return this.stderr;
  }

  /** For error messages: how it ended and the end of its output. */
  override describe(): string {
    const output = this.output.trim() ? `\n--- output:\n${this.output.trim().slice(-4_000)}` : '';
    return `${super.describe()}${output}`;
  }
}
