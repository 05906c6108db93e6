import { writeSync } from 'node:fs';
import { Logger, type LoggerService } from '@nestjs/common';
import { describeError, stackOf } from '../report/describe-error.js';
import { LOGGER_CONTEXT } from '../shutdown.constants.js';

type Level = 'log' | 'warn' | 'error';

/**
 * Writes the library's lines under context `Shutdown`: to the logger given in the options, or to
 * Nest's `Logger`, so that `app.useLogger()` (pino, winston…) receives them. `false` silences it.
 * The logger is the user's code: whatever it throws or rejects with, the line goes to stderr
 * instead (the first failure says so once) and the shutdown goes on as if it had been written.
 */
export class ShutdownLogger {
  /** `message`: a line, or a record (an object) for loggers that write objects as such. */
  private readonly write: (level: Level, message: string | object, stack?: string) => unknown;
  private failed = false;

  /** `fallback` writes one line synchronously: stderr, unless a test collects them. */
  constructor(
    logger: LoggerService | false | undefined,
    private readonly fallback: (line: string) => void = writeStderr,
  ) {
    if (logger === false) {
      this.write = () => undefined;
    } else if (logger === undefined) {
      const nestLogger = new Logger(LOGGER_CONTEXT);
      this.write = (level, message, stack) => (level === 'error' && stack ? nestLogger.error(message, stack) : nestLogger[level](message));
    } else {
      this.write = (level, message, stack) =>
        level === 'error' ? logger.error(message, stack, LOGGER_CONTEXT) : logger[level](message, LOGGER_CONTEXT);
    }
  }

  log(message: string): void {
    this.safely('log', message);
  }

  warn(message: string): void {
    this.safely('warn', message);
  }

  error(message: string, error?: unknown): void {
    this.safely('error', message, stackOf(error));
  }

  /**
   * One object as one entry: a JSON logger (nestjs-pino, winston, Nest's `json` console) makes it
   * one record with its keys; a text logger prints it as it prints objects.
   */
  record(level: Level, record: object): void {
    this.safely(level, record);
  }

  private safely(level: Level, message: string | object, stack?: string): void {
    let result: unknown;
    try {
      result = this.write(level, message, stack);
    } catch (error) {
      this.fallBack(level, message, error);
      return;
    }
    // A logger returning a promise (rare) must not leave an unhandled rejection behind.
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (error: unknown) => this.fallBack(level, message, error));
    }
  }

  private fallBack(level: Level, message: string | object, error: unknown): void {
    if (!this.failed) {
      this.failed = true;
      this.fallback(`the logger threw (${describeError(error)}): its failed lines are written to stderr`);
    }
    this.fallback(`${level.toUpperCase()} ${typeof message === 'string' ? message : asJson(message)}`);
  }
}

function asJson(record: object): string {
  try {
    return JSON.stringify(record);
  } catch (error) {
    return `(a record that can't be written as JSON: ${describeError(error)})`;
  }
}

/** Synchronous: the line is out even if the process exits right after. */
function writeStderr(line: string): void {
  try {
    writeSync(2, `[nestjs-shutdown] ${line}\n`);
  } catch {
    // stderr closed: nothing left to write to.
  }
}
