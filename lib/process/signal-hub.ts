import { ProcessEventHub } from './process-event-hub.js';
import { processGlobal } from './process-global.js';

/** The process-wide signal listeners: signals are process-wide, whatever the number of applications. */
export const signalHub = processGlobal('signal-hub.v2', () => new ProcessEventHub<NodeJS.Signals>());
