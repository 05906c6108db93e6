/** What PM2 sends when an app is started with `shutdown_with_message` (and on Windows, where it has no signals). */
export const PM2_SHUTDOWN_MESSAGE = 'shutdown';

/**
 * The IPC message this process listens to, or undefined for none. The option wins (`false`: none);
 * unset, PM2's `'shutdown'` when PM2 started the process (it sets `pm_id` in every app's
 * environment). Only with an IPC channel: without one no message can arrive.
 */
export function shutdownMessageToListen(option: string | false | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (option === false || typeof process.send !== 'function') return undefined;
  if (option !== undefined) return option;
  return env.pm_id !== undefined ? PM2_SHUTDOWN_MESSAGE : undefined;
}

/** The reason a run started by that message has (`ctx.reason`, the report). */
export function messageReason(message: string): string {
  return `message:${message}`;
}
