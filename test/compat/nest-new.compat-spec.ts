/**
 * Runs after compat/prepare.mjs: compat/nest-new is a project as `nest new` generates it (NestJS 11,
 * CommonJS, ts-jest), with the packed library installed. Its own tools run as its user runs them,
 * without this repository's NODE_OPTIONS (jest's ESM mode would hide what a CommonJS project sees).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('../../compat/nest-new/', import.meta.url));

function inProject(bin: string, args: string[]): { code: number | null; stdout: string; output: string } {
  const { NODE_OPTIONS: _ours, ...env } = process.env;
  const run = spawnSync(process.execPath, [PROJECT + bin, ...args], { cwd: PROJECT, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, output: run.stdout + run.stderr };
}

interface JestResult {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  testResults: Array<{ name: string; status: string; message: string }>;
}

describe('a project as `nest new` generates it (NestJS 11, CommonJS, ts-jest)', () => {
  it.each([
    ['its unit tests (the "jest" config of package.json)', []],
    ['its e2e tests (test/jest-e2e.json)', ['--config', './test/jest-e2e.json']],
  ])('%s pass unchanged against the packed library', (_kind, config) => {
    const { code, stdout, output } = inProject('node_modules/jest/bin/jest.js', [...config, '--json', '--ci']);
    let result: JestResult;
    try {
      result = JSON.parse(stdout) as JestResult;
    } catch {
      throw new Error(`jest gave no results (exit ${code}):\n${output}`);
    }
    // On failure, the messages say why (e.g. "Must use import to load ES Module").
    expect(result.testResults.filter((file) => file.status !== 'passed').map((file) => file.message)).toEqual([]);
    expect(result.numTotalTests).toBeGreaterThanOrEqual(3);
    expect(result.numPassedTests).toBe(result.numTotalTests);
    expect({ code, success: result.success }).toEqual({ code: 0, success: true });
  });

  it.each([
    ['node16 CommonJS (its own tsconfig.json)', ['-p', 'tsconfig.json', '--noEmit', '--incremental', 'false']],
    ['node10 (tsconfig.node10.json, library types checked)', ['-p', 'tsconfig.node10.json']],
  ])('type-checks, nestjs-shutdown/testing included, under moduleResolution %s', (_kind, args) => {
    const { code, output } = inProject('node_modules/typescript/bin/tsc', args);
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});
