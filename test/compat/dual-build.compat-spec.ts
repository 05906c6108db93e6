/**
 * Runs after compat/prepare.mjs. The dual-package hazard: the ES module and CommonJS builds loaded
 * in one process must share the process-wide state (signal listeners, the process.exit guard) and
 * the application registry, or each would run its own sequence and exit on its own.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChildApp, killLeftovers } from '../e2e/support/child-app.js';

afterEach(killLeftovers);

const COMPAT = fileURLToPath(new URL('../../compat/', import.meta.url));

describe('both builds of the library in one process', () => {
  it.each([
    ['NestJS 12 (ES modules, loaded by require(esm))', 'consumer'],
    ['NestJS 11 (CommonJS)', 'nest-new'],
  ])('on %s: one listener per signal, each application sequence runs once, one exit', async (_nest, project) => {
    const app = new ChildApp(`${COMPAT}${project}/dual-build-app.cjs`);
    await app.waitFor(() => app.output.includes('ready'));
    expect(app.output).toContain('ready: listeners SIGTERM=1 SIGINT=1');
    app.kill('SIGTERM');
    const exit = await app.exited;
    const ran = app.output.split('\n').filter((line) => line.startsWith('hook ran'));
    // The CommonJS application's hook is the slowest: a second dispatcher would have exited first.
    expect(ran.sort()).toEqual(['hook ran: cjs-app (SIGTERM)', 'hook ran: esm-app (SIGTERM)', 'hook ran: esm-app, cjs decorator (SIGTERM)']);
    expect(app.output.match(/^exit \d+$/gm)).toEqual(['exit 0']);
    expect(exit.code).toBe(0);
  });

  it('the process.exit guard is one: a call outside the hooks is seen once by every run and deferred, the library exits past it', async () => {
    const installed = `${COMPAT}nest-new/node_modules/nestjs-shutdown/dist/`;
    type ExitGuard = typeof import('../../lib/process/exit-guard.js');
    const commonjs = createRequire(import.meta.url)(`${installed}cjs/process/exit-guard.js`) as ExitGuard;
    const esm = (await import(pathToFileURL(`${installed}esm/process/exit-guard.js`).href)) as ExitGuard;
    expect(commonjs.guardProcessExit).not.toBe(esm.guardProcessExit);

    const realExit = process.exit;
    const exits: number[] = [];
    const fakeExit = ((code: number) => void exits.push(code)) as typeof process.exit;
    process.exit = fakeExit;
    try {
      const seen: string[] = [];
      const liftCommonjs = commonjs.guardProcessExit((code) => void seen.push(`commonjs run saw ${code}`));
      const liftEsm = esm.guardProcessExit((code) => void seen.push(`esm run saw ${code}`));
      process.exit(3);
      expect(seen).toEqual(['commonjs run saw 3', 'esm run saw 3']);
      expect(exits).toEqual([]);
      // The library's own exit, from either build, is the real one.
      esm.realExit(4);
      commonjs.realExit(5);
      expect(exits).toEqual([4, 5]);
      liftCommonjs();
      expect(process.exit).not.toBe(fakeExit); // the esm run still guards it
      liftEsm();
      expect(process.exit).toBe(fakeExit);
    } finally {
      process.exit = realExit;
    }
  });

  it('the signal and fatal-error hubs and the exit decision are one object for both builds', async () => {
    const installed = `${COMPAT}nest-new/node_modules/nestjs-shutdown/dist/`;
    const load = async (file: string) => [
      createRequire(import.meta.url)(`${installed}cjs/process/${file}`) as Record<string, unknown>,
      (await import(pathToFileURL(`${installed}esm/process/${file}`).href)) as Record<string, unknown>,
    ];
    const [signalsCommonjs, signalsEsm] = await load('signal-hub.js');
    const [fatalCommonjs, fatalEsm] = await load('fatal-error-hub.js');
    expect(signalsCommonjs.signalHub).toBeDefined();
    expect(signalsCommonjs.signalHub).toBe(signalsEsm.signalHub);
    expect(fatalCommonjs.fatalErrorHub).toBe(fatalEsm.fatalErrorHub);
    expect(fatalCommonjs.fatalErrorHub).not.toBe(signalsCommonjs.signalHub);
    const [exitCommonjs, exitEsm] = await load('exit-decision.js');
    expect(exitCommonjs.processExit).toBeDefined();
    expect(exitCommonjs.processExit).toBe(exitEsm.processExit);
  });
});
