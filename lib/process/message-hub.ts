import { ProcessEventHub } from './process-event-hub.js';
import { processGlobal } from './process-global.js';

/**
 * The process-wide IPC `message` listener: a process manager's shutdown message (PM2's
 * `shutdown_with_message`, PM2 on Windows) concerns the whole process, as a signal does.
 * Node refs the IPC channel while a `message` listener exists, so it is there only while an
 * application wants it: removed with the last subscriber, the channel no longer holds the process.
 */
export const messageHub = processGlobal('message-hub.v1', () => new ProcessEventHub<'message'>());
