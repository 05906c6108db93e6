import type { INestApplicationContext } from '@nestjs/common';
import type { ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import { interceptExits } from '../process/exit-guard.js';
import { ShutdownService } from '../shutdown.service.js';

export interface SimulatedShutdown {
  report: ShutdownReport;
  /** The code the process would have exited with (`exit: true`), or undefined (`exit: false`). */
  exitCode: number | undefined;
}

/**
 * Runs the application's shutdown as a real signal would, inside a test: the process listeners for
 * `signal` are called (all of them, as with a delivered signal), the sequence runs, and the exit the
 * library would make is recorded instead of made. The application is closed afterwards.
 */
export async function simulateSignal(app: INestApplicationContext, signal: NodeJS.Signals = 'SIGTERM'): Promise<SimulatedShutdown> {
  const service = app.get(ShutdownService, { strict: false });
  if (!service.signals.includes(signal)) {
    throw new Error(`simulateSignal: ShutdownModule does not listen to ${signal} (its "signals" option is ${JSON.stringify(service.signals)})`);
  }
  return recordingExit(() => {
    (process.emit as (event: string, ...args: unknown[]) => boolean)(signal, signal);
    const report = service.lastShutdown();
    if (!report) throw new Error(`simulateSignal: ${signal} did not start a shutdown`);
    return report;
  });
}

/** Runs `ShutdownService.shutdown(reason)` with the process exit recorded instead of made. */
export function simulateShutdown(app: INestApplicationContext, reason = 'test'): Promise<SimulatedShutdown> {
  const service = app.get(ShutdownService, { strict: false });
  return recordingExit(() => service.shutdown(reason));
}

async function recordingExit(start: () => Promise<ShutdownReport>): Promise<SimulatedShutdown> {
  let exitCode: number | undefined;
  const restore = interceptExits((code) => {
    exitCode ??= code;
  });
  try {
    const report = await start();
    // The exit follows the report by a few promise turns (all applications of the process settle first).
    await new Promise((resolve) => setImmediate(resolve));
    return { report, exitCode };
  } finally {
    restore();
  }
}
