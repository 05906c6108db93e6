import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ChildApp, killLeftovers } from './support/child-app.js';

// Beside the fixtures, so that the bundle finds Nest (and, on the compat run, Nest 11) in node_modules.
const bundle = join(BUILD_DIR, 'bundled/exit-in-bundle-app.mjs');

/**
 * Bundlers and minifiers rename functions: telling a hook's process.exit() from anyone else's must
 * not depend on a name in our source. The fixture and the library are bundled into one minified
 * file (Nest itself stays external, as `nest build --webpack` keeps node_modules).
 */
beforeAll(async () => {
  await build({
    entryPoints: [join(BUILD_DIR, 'test/fixtures/exit-in-bundle-app.js')],
    outfile: bundle,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@nestjs/*', 'reflect-metadata', 'rxjs', 'class-validator', 'class-transformer'],
    logLevel: 'silent',
  });
});
afterEach(killLeftovers);

async function run(scenario: string): Promise<{ app: ChildApp; code: number | null }> {
  const app = new ChildApp(bundle, { SCENARIO: scenario });
  await app.waitForEvent('ready');
  app.kill('SIGTERM');
  const { code } = await app.exited;
  return { app, code };
}

describe('process.exit() during the sequence, in a bundled and minified build', () => {
  it('the bundle really lost our function names', () => {
    const text = readFileSync(bundle, 'utf8');
    expect(text).not.toContain('calledFromHook');
    expect(text).not.toContain('guardProcessExit');
  });

  it('a hook calling process.exit(0) is reported failed, the next hook runs, and the exit code is 1', async () => {
    const { app, code } = await run('hook-exit');
    expect(code).toBe(1);
    expect(app.output).toMatch(/first\s+failed .*process\.exit\(0\) was called by a hook/);
    expect(app.eventsOf('hook').map((e) => e.name)).toEqual(['second']);
  });

  it('a hook that catches the error of its process.exit(3) still gets exit code 3', async () => {
    const { app, code } = await run('caught-exit');
    expect(code).toBe(3);
    expect(app.eventsOf('hook').map((e) => e.name)).toEqual(['first', 'second']);
    expect(app.output).toContain('Exiting with code 3');
  });

  it('process.exit(3) outside the hooks is deferred: every hook runs, then the process exits 3', async () => {
    const { app, code } = await run('listener-exit');
    expect(code).toBe(3);
    expect(app.output).toMatch(/process\.exit\(3\) was called during the shutdown sequence: deferred/);
    expect(app.eventsOf('hook').map((e) => e.name)).toEqual(['first', 'second']);
  });
});
