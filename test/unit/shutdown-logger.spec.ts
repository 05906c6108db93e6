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
