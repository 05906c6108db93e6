import { signalExitCode } from '../validation/signals.js';
import { ProcessEventHub } from './process-event-hub.js';

/**
 * The process-wide signal listeners: signals are process-wide, whatever the number of applications.
 * On globalThis so that the ES module and CommonJS builds loaded in one process (the dual-package
 * hazard) share it: one listener per signal and one sequence run. Bump the version in the key when
 * the hub's shape changes, so that two versions of the library never share an incompatible hub.
 */
const HUB_KEY = Symbol.for('nestjs-shutdown.signal-hub.v1');

export const signalHub: ProcessEventHub<NodeJS.Signals> = ((globalThis as Record<symbol, ProcessEventHub<NodeJS.Signals> | undefined>)[
  HUB_KEY
] ??= new ProcessEventHub<NodeJS.Signals>(signalExitCode));
