import { signalExitCode } from '../validation/signals.js';
import { ProcessEventHub } from './process-event-hub.js';

/** The process-wide signal listeners: signals are process-wide, whatever the number of applications. */
export const signalHub = new ProcessEventHub<NodeJS.Signals>(signalExitCode);
