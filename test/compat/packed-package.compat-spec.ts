/**
 * Runs after compat/prepare.mjs (npm run test:compat): the packed tarball as a user installs it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChildApp, killLeftovers } from '../e2e/support/child-app.js';

afterEach(killLeftovers);

const COMPAT = fileURLToPath(new URL('../../compat/', import.meta.url));

describe('the packed package', () => {
  it('contains only what a user needs: dist with types, README, LICENSE, CHANGELOG', () => {
    const tarball = readdirSync(COMPAT).find((name) => name.endsWith('.tgz'))!;
    const files = execFileSync('tar', ['tzf', COMPAT + tarball], { encoding: 'utf8' }).trim().split('\n');
    const outside = files.filter((file) => !/^package\/(dist\/.+|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(file));
    expect(outside).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/testing/index.d.ts']));
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it.each([
    ['an ESM TypeScript app (compiled with strict against the packed types)', 'consumer/dist/esm-app.js', 'ready esm'],
    ['a CommonJS app (require() of the ES module)', 'consumer/cjs-app.cjs', 'ready cjs'],
  ])('%s on NestJS 12 shuts down on SIGTERM with exit 0', async (_kind, script, ready) => {
    const app = new ChildApp(COMPAT + script);
    await app.waitFor(() => app.output.includes(ready));
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toContain('hook ran: SIGTERM');
  });
});
