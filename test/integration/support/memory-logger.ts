import type { LoggerService } from '@nestjs/common';

/** Keeps what the library logs, as `level context: message` lines. */
export class MemoryLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: string, context?: string) {
    this.lines.push(`log ${context}: ${message}`);
  }
  warn(message: string, context?: string) {
    this.lines.push(`warn ${context}: ${message}`);
  }
  error(message: string, _stack?: string, context?: string) {
    this.lines.push(`error ${context}: ${message}`);
  }
}
