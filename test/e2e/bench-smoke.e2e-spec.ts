import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
// Compiled apart from build/bench, so that other tests' fixtures in build/ are never rewritten under them.
const OUT_DIR = 'build/bench-smoke';
const WATCHED = ['docs/benchmarks.md', 'docs/shutdown-latency.svg'];

interface SmokeOutput {
  figures: Record<string, Record<string, number>>;
  goals: Array<{ goal: string; figure: string; met: boolean }>;
  failures: string[];
}

const fingerprint = (path: string) => (existsSync(ROOT + path) ? createHash('sha256').update(readFileSync(ROOT + path)).digest('hex') : 'absent');

/**
 * Keeps the benchmarks (`npm run bench`, bench/run-all.ts) from rotting: they are compiled with
 * tsconfig.bench.json and run at a tiny size (--smoke: one sample, no warm-up, nothing written).
 * Only that every figure was produced is checked, never a timing: benchmarks gate nothing.
 */
describe('benchmark harness (smoke run)', () => {
  it('compiles, runs every benchmark at a tiny size and reports numbers, writing nothing to docs/', async () => {
    const before = WATCHED.map(fingerprint);
    await run(process.execPath, [TSC, '-p', 'tsconfig.bench.json', '--outDir', OUT_DIR], { cwd: ROOT, timeout: 60_000 });

    const { stdout } = await run(process.execPath, [`${OUT_DIR}/bench/run-all.js`, '--smoke'], {
      cwd: ROOT,
      timeout: 90_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = stdout.split('\n').find((text) => text.startsWith('BENCH_JSON '));
    expect(line).toBeDefined();
    const output = JSON.parse(line!.slice('BENCH_JSON '.length)) as SmokeOutput;

    expect(output.failures).toEqual([]);
    expect(Object.keys(output.figures).sort()).toEqual(['cycles', 'deadline', 'idle', 'latency', 'requests', 'startup']);
    for (const [section, figures] of Object.entries(output.figures)) {
      for (const [name, value] of Object.entries(figures)) {
        expect({ figure: `${section}.${name}`, finite: Number.isFinite(value) }).toEqual({ figure: `${section}.${name}`, finite: true });
      }
    }
    const { startup, latency, deadline, idle, cycles, requests } = output.figures;
    for (const variant of ['http-without', 'http-with', 'context-without', 'context-with']) expect(cycles[`${variant}_ms`]).toBeGreaterThan(0);
    expect(cycles.leaks).toBe(0);
    expect(startup.createWithMs).toBeGreaterThan(0);
    expect(startup.createWithoutMs).toBeGreaterThan(0);
    expect(startup.discoveryMs).toBeGreaterThan(0);
    for (const size of [10, 20]) {
      for (const variant of ['ours', 'builtin-exit', 'floor']) expect(latency[`${variant}_${size}_ms`]).toBeGreaterThan(0);
    }
    expect(latency.chartBytes).toBeGreaterThan(0);
    for (const variant of ['ours', 'ours-no-opt', 'ours-no-watchdog', 'builtin-exit', 'builtin-exit-no-opt', 'floor']) {
      expect(latency[`split_${variant}_javascript_ms`]).toBeGreaterThan(0);
      expect(latency[`split_${variant}_teardown_ms`]).toBeGreaterThan(0);
    }
    // The process outlived its timeout: a positive overshoot, whatever its size.
    expect(deadline.asyncP50Ms).toBeGreaterThan(0);
    expect(deadline.syncP50Ms).toBeGreaterThan(0);
    expect(idle.rssWith).toBeGreaterThan(0);
    expect(idle.heapWithout).toBeGreaterThan(0);
    for (const key of ['express_p1', 'fastify_p10_gateways']) {
      for (const variant of ['with', 'without']) {
        expect(requests[`${key}_cpu_us_${variant}`]).toBeGreaterThan(0);
        expect(requests[`${key}_rps_${variant}`]).toBeGreaterThan(0);
      }
      expect(requests[`${key}_capacity_ratio`]).toBeGreaterThan(0);
    }
    expect(output.goals.length).toBeGreaterThan(0);
    expect(stdout).toContain('Machine: ');

    expect(WATCHED.map(fingerprint)).toEqual(before);
  }, 150_000);
});
