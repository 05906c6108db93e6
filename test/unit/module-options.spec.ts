import { describe, expect, it } from '@jest/globals';
import { ShutdownModule } from '../../lib/index.js';
import { resolveModuleOptions } from '../../lib/validation/resolve-module-options.js';

describe('ShutdownModule options', () => {
  it('fills in the defaults', () => {
    expect(resolveModuleOptions(undefined)).toEqual({
      timeout: 8_000,
      signals: ['SIGTERM', 'SIGINT'],
      exit: true,
      drainTimeout: 4_000,
      preStopDelay: 0,
      readinessPath: undefined,
      handleFatalErrors: false,
      watchdog: true,
      integrations: { schedule: true, bullmq: true },
      shutdownMessage: undefined,
      structuredReport: false,
      logger: undefined,
    });
  });

  it('keeps what was given and removes duplicate signals', () => {
    const given = {
      timeout: 1_000,
      signals: ['SIGHUP', 'SIGHUP'] as NodeJS.Signals[],
      exit: false,
      drainTimeout: 0,
      preStopDelay: 500,
      readinessPath: '/health/ready',
      handleFatalErrors: true,
      watchdog: false,
      integrations: { schedule: false, bullmq: true },
      shutdownMessage: 'stop',
      structuredReport: true,
      logger: { log() {}, error() {}, warn() {} },
    };
    expect(resolveModuleOptions(given)).toEqual({ ...given, signals: ['SIGHUP'] });
    expect(resolveModuleOptions({ signals: [] }).signals).toEqual([]);
    expect(resolveModuleOptions({ integrations: { bullmq: false } }).integrations).toEqual({ schedule: true, bullmq: false });
  });

  it('ShutdownModule.forRoot(null) fails naming the options, not inside Nest\'s module builder', () => {
    expect(() => ShutdownModule.forRoot(null as never)).toThrow('ShutdownModule: options must be an object, got null');
  });

  it('accepts the longest timer Node can hold', () => {
    expect(resolveModuleOptions({ timeout: 2 ** 31 - 1 }).timeout).toBe(2 ** 31 - 1);
  });

  it('defaults drainTimeout to half of the timeout given', () => {
    expect(resolveModuleOptions({ timeout: 1_000 }).drainTimeout).toBe(500);
  });

  it.each([
    [{ timeout: 0 }, 'option "timeout" must be a finite number of ms > 0, got 0'],
    [{ timeout: NaN }, 'option "timeout" must be a finite number of ms > 0, got NaN'],
    [{ timeout: '5000' }, 'option "timeout" must be a finite number of ms > 0, got "5000"'],
    [{ signals: 'SIGTERM' }, 'option "signals" must be an array of signal names, got "SIGTERM"'],
    [{ signals: ['SIGKILL'] }, 'option "signals": "SIGKILL" can never be caught by a process'],
    [{ signals: ['SIGSTOP'] }, 'option "signals": "SIGSTOP" can never be caught by a process'],
    [{ signals: ['SIGFOO'] }, 'option "signals": "SIGFOO" is not a signal this platform knows'],
    [{ signals: [15] }, 'option "signals": 15 is not a signal name'],
    [{ exit: 'no' }, 'option "exit" must be a boolean, got "no"'],
    [{ watchdog: 1 }, 'option "watchdog" must be a boolean, got 1'],
    [{ drainTimeout: -1 }, 'option "drainTimeout" must be a finite number of ms >= 0, got -1'],
    [{ preStopDelay: -5 }, 'option "preStopDelay" must be a finite number of ms >= 0, got -5'],
    [{ preStopDelay: 8_000 }, 'option "preStopDelay" (8000 ms) must be smaller than "timeout" (8000 ms)'],
    [{ timeout: 1_000, preStopDelay: 2_000 }, 'option "preStopDelay" (2000 ms) must be smaller than "timeout" (1000 ms)'],
    [{ readinessPath: 'ready' }, 'option "readinessPath" must be a literal path starting with "/"'],
    [{ readinessPath: '/ready/*' }, 'option "readinessPath" must be a literal path starting with "/" (letters, digits, "-", ".", "_", "~" and "/"; no parameter or wildcard), got "/ready/*"'],
    [{ readinessPath: '/:id' }, 'option "readinessPath" must be a literal path starting with "/"'],
    [{ timeout: 2 ** 31 }, 'option "timeout" must be at most 2147483647 ms (2^31 - 1, the longest timer Node can hold), got 2147483648'],
    [{ drainTimeout: 2 ** 53 }, 'option "drainTimeout" must be at most 2147483647 ms'],
    [{ handleFatalErrors: 1 }, 'option "handleFatalErrors" must be a boolean, got 1'],
    [{ shutdownMessage: '' }, 'option "shutdownMessage" must be a non-empty string (the IPC message to listen to) or false, got ""'],
    [{ shutdownMessage: true }, 'option "shutdownMessage" must be a non-empty string (the IPC message to listen to) or false, got true'],
    [{ integrations: false }, 'option "integrations" must be an object such as { schedule: false }, got false'],
    [{ integrations: { bull: false } }, 'option "integrations": unknown integration "bull" (known: schedule, bullmq)'],
    [{ integrations: { schedule: 'off' } }, 'option "integrations.schedule" must be a boolean, got "off"'],
    [{ structuredReport: 'json' }, 'option "structuredReport" must be a boolean, got "json"'],
    [{ logger: console.log }, 'option "logger" must be a LoggerService'],
    [{ timout: 5_000 }, 'unknown option "timout"'],
    [null, 'options must be an object, got null'],
    [[], 'options must be an object, got an array'],
  ])('refuses %p with a message naming the option', (options, problem) => {
    expect(() => resolveModuleOptions(options as never)).toThrow(`ShutdownModule: ${problem}`);
  });
});
