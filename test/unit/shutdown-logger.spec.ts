import { beforeEach, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { ShutdownLogger as Logger } from '../../lib/logging/shutdown-logger.js';

/** The fallback lines, collected instead of written to stderr. */
let stderr: string[];
beforeEach(() => {
  stderr = [];
});
const ShutdownLogger = class extends Logger {
  constructor(logger: LoggerService) {
    super(logger, (line) => stderr.push(line));
  }
};

const throwing = (): LoggerService => ({
  log: () => {
    throw new Error('log broke');
  },
  warn: () => {
    throw new Error('warn broke');
  },
  error: () => {
    throw new Error('error broke');
  },
});

describe('ShutdownLogger with a logger that fails', () => {
  it('never throws; the lines go to stderr and the first failure is said once', () => {
    const logger = new ShutdownLogger(throwing());
    expect(() => {
      logger.log('one');
      logger.warn('two');
      logger.error('three', new Error('cause'));
    }).not.toThrow();
    expect(stderr.filter((line) => line.includes('the logger threw'))).toHaveLength(1);
    expect(stderr.join('')).toMatch(/LOG one[\s\S]*WARN two[\s\S]*ERROR three/);
  });

  it('keeps writing to a logger whose other methods work', () => {
    const seen: string[] = [];
    const logger = new ShutdownLogger({ ...throwing(), log: (message: string) => void seen.push(message) });
    logger.warn('broken');
    logger.log('works');
    expect(seen).toEqual(['works']);
    expect(stderr.join('')).toContain('WARN broken');
  });

  it('catches a rejected promise a logger returns, instead of leaving an unhandled rejection', async () => {
    const logger = new ShutdownLogger({ log: () => Promise.reject(new Error('async broke')), warn: () => undefined, error: () => undefined } as never);
    logger.log('later');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stderr.join('')).toContain('LOG later');
  });
});

describe('ShutdownLogger records (structuredReport)', () => {
  it('hands the object itself to the logger, with the context, at the level asked', () => {
    const seen: unknown[][] = [];
    const logger = new ShutdownLogger({
      log: (...args: unknown[]) => void seen.push(['log', ...args]),
      warn: () => undefined,
      error: (...args: unknown[]) => void seen.push(['error', ...args]),
    });
    const record = { msg: 'summary', shutdownReport: { outcome: 'completed' } };
    logger.record('log', record);
    logger.record('error', record);
    expect(seen).toEqual([
      ['log', record, 'Shutdown'],
      ['error', record, undefined, 'Shutdown'],
    ]);
  });

  it('writes the record as JSON to stderr when the logger throws, and one that is no JSON as such', () => {
    const logger = new ShutdownLogger(throwing());
    logger.record('log', { msg: 'summary', shutdownReport: { hooks: [] } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.record('error', cyclic);
    expect(stderr).toContain('LOG {"msg":"summary","shutdownReport":{"hooks":[]}}');
    expect(stderr.some((line) => line.startsWith("ERROR (a record that can't be written as JSON: "))).toBe(true);
  });
});
