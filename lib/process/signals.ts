import { constants } from 'node:os';

/** 128 + the signal's number: what a shell, Docker or Kubernetes shows for a death by that signal. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
