/**
 * Runs after compat/prepare.mjs (npm run test:compat): the packed tarball as a user installs it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildApp, killLeftovers } from '../e2e/support/child-app.js';

afterEach(killLeftovers);

const COMPAT = fileURLToPath(new URL('../../compat/', import.meta.url));

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tarball = () => COMPAT + readdirSync(COMPAT).find((name) => name.endsWith('.tgz'))!;

/** Runs a tool installed in the repository on the tarball; its exit code and output, failing or not. */
function runTool(bin: string, args: string[]): { code: number; output: string } {
  const run = spawnSync(process.execPath, [ROOT + bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status ?? -1, output: run.stdout + run.stderr };
}

describe('the packed package', () => {
  let unpacked: string;
  beforeAll(() => {
    unpacked = mkdtempSync(join(tmpdir(), 'nestjs-shutdown-packed-'));
    execFileSync('tar', ['xzf', tarball(), '-C', unpacked]);
  });
  afterAll(() => rmSync(unpacked, { recursive: true, force: true }));
  const files = () => execFileSync('tar', ['tzf', tarball()], { encoding: 'utf8' }).trim().split('\n');
  const read = (file: string) => readFileSync(join(unpacked, file), 'utf8');

  it('contains only what a user needs: both builds with their types and maps, the sources they map to, README, LICENSE, CHANGELOG', () => {
    const outside = files().filter((file) => !/^package\/(dist\/(esm|cjs)\/.+|lib\/.+\.ts|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(file));
    expect(outside).toEqual([]);
    for (const build of ['esm', 'cjs']) {
      for (const entry of ['index', 'testing/index']) {
        expect(files()).toEqual(
          expect.arrayContaining(['js', 'js.map', 'd.ts', 'd.ts.map'].map((extension) => `package/dist/${build}/${entry}.${extension}`)),
        );
      }
    }
    // Node and TypeScript read the CommonJS build as CommonJS because of this file alone.
    expect(JSON.parse(read('package/dist/cjs/package.json'))).toEqual({ type: 'commonjs' });
  });

  it("its JavaScript carries no comments (an idle process keeps every module's source text in its heap), its declarations keep their docs", () => {
    const javascript = files().filter((file) => /^package\/dist\/(esm|cjs)\/.+\.js$/.test(file));
    expect(javascript.length).toBeGreaterThan(50);
    expect(javascript.filter((file) => /^\s*(\/\*\*|\/\/ )/m.test(read(file)))).toEqual([]);
    for (const build of ['esm', 'cjs']) expect(read(`package/dist/${build}/shutdown.service.d.ts`)).toMatch(/\/\*\*\n\s+\* /);
  });

  it('every source map and declaration map points at sources that are in the package', () => {
    const present = new Set(files());
    const maps = [...present].filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(read(map)) as { sources: string[] };
      return sources.map((source) => posix.join(posix.dirname(map), source)).filter((source) => !present.has(source));
    });
    expect(missing).toEqual([]);
  });

  it('@arethetypeswrong/cli finds no problem with any entry point under node10, node16 (CommonJS and ESM) and bundler', () => {
    const { code, output } = runTool('node_modules/@arethetypeswrong/cli/dist/index.js', [tarball(), '--format', 'json']);
    const { problems, analysis } = JSON.parse(output) as { problems: Record<string, unknown[]>; analysis: { entrypoints: Record<string, unknown> } };
    expect(problems).toEqual({});
    expect(Object.keys(analysis.entrypoints)).toEqual(['.', './testing', './package.json']);
    expect(code).toBe(0);
  });

  it('publint finds nothing to report, suggestions included', () => {
    const { code, output } = runTool('node_modules/publint/src/cli.js', ['run', tarball(), '--strict', '--level', 'suggestion']);
    expect(output).toContain('All good!');
    expect(code).toBe(0);
  });

  it.each([
    ['an ESM TypeScript app (compiled with strict against the packed types)', 'consumer/dist/esm-app.js', 'ready esm'],
    ['a CommonJS app (on the CommonJS build)', 'consumer/cjs-app.cjs', 'ready cjs'],
  ])('%s on NestJS 12, without terminus installed, is ready and shuts down on SIGTERM with exit 0', async (_kind, script, ready) => {
    const app = new ChildApp(COMPAT + script);
    await app.waitFor(() => app.output.includes(ready));
    // The terminus indicator works without terminus: its own results.
    expect(app.output).toContain('readiness {"shutdown":{"status":"up"}}');
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toContain('hook ran: SIGTERM');
  });
});
