import { Logger, type LoggerService } from '@nestjs/common';
import { LOGGER_CONTEXT } from './shutdown.constants.js';

/**
 * Writes the library's lines under context `Shutdown`: to the logger given in the options, or to
 * Nest's `Logger`, so that `app.useLogger()` (pino, winston…) receives them. `false` silences it.
 */
export class ShutdownLogger {
  private readonly write: (level: 'log' | 'warn' | 'error', message: string, stack?: string) => void;

  constructor(logger: LoggerService | false | undefined) {
    if (logger === false) {
      this.write = () => undefined;
    } else if (logger === undefined) {
      const nestLogger = new Logger(LOGGER_CONTEXT);
      this.write = (level, message, stack) =>
        level === 'error' && stack ? nestLogger.error(message, stack) : nestLogger[level](message);
    } else {
      this.write = (level, message, stack) =>
        level === 'error' ? logger.error(message, stack, LOGGER_CONTEXT) : logger[level](message, LOGGER_CONTEXT);
    }
  }

  log(message: string): void {
    this.write('log', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string, error?: unknown): void {
    this.write('error', message, error instanceof Error ? error.stack : undefined);
  }
}
