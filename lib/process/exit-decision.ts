import type { ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import { realExit } from './exit-guard.js';
import { processGlobal } from './process-global.js';

/** What one application's run asks of the exit code. */
export interface ExitClaims {
  report: ShutdownReport;
  /** Codes passed to `process.exit()` during the run, by hooks or anyone else. */
  requestedCodes: readonly number[];
  /** An uncaught exception or unhandled rejection was seen: 1 at least. */
  fatalError: boolean;
}

/**
 * The exit code: the highest that anything asked for. 0 only when every hook and Nest's
 * lifecycle succeeded and nobody asked for another code (`process.exit(n)`, `process.exitCode`).
 */
export function exitCodeOf(claims: readonly ExitClaims[]): number {
  let code = Number(process.exitCode ?? 0) || 0;
  for (const { report, requestedCodes, fatalError } of claims) {
    code = Math.max(code, report.outcome === 'completed' ? 0 : 1, fatalError ? 1 : 0, ...requestedCodes);
  }
  return code;
}

/** Told the code the process really exits with, to log it. */
export type ExitAnnouncer = (code: number) => void;

interface PendingExit {
  claims: Promise<ExitClaims | number>;
  announce: ExitAnnouncer;
}

/**
 * The one place the library ends the process (the watchdog's SIGKILL aside). Every run that is to
 * end it is registered here; once all registered runs have settled, the process exits once, with
 * the code computed from all of them, which each application logs. Process-wide, so that two
 * applications, or two copies of the library, end the process once.
 */
class ProcessExit {
  private batch: PendingExit[] = [];
  private unsettled = 0;

  /** `claims` resolves to a run's claims, or to a code decided without a run (a bootstrap that never ended). */
  after(claims: Promise<ExitClaims | number>, announce: ExitAnnouncer): void {
    this.batch.push({ claims, announce });
    this.unsettled++;
    const settled = (): void => {
      if (--this.unsettled > 0) return;
      const batch = this.batch;
      this.batch = [];
      void this.exitAfter(batch);
    };
    claims.then(settled, settled);
  }

  /** Now, before the runs ended: a second signal, or one during bootstrap. */
  now(code: number, announce: ExitAnnouncer): void {
    announce(code);
    realExit(code);
  }

  private async exitAfter(batch: readonly PendingExit[]): Promise<void> {
    const claims: ExitClaims[] = [];
    let code = 0;
    for (const entry of batch) {
      const value = await entry.claims.catch(() => 1);
      if (typeof value === 'number') code = Math.max(code, value);
      else claims.push(value);
    }
    code = Math.max(code, exitCodeOf(claims));
    for (const { announce } of batch) announce(code);
    realExit(code);
  }
}

export const processExit = processGlobal('process-exit.v1', () => new ProcessExit());
