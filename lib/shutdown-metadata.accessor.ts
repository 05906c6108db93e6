import { Injectable } from '@nestjs/common';
import { SHUTDOWN_HOOK_METADATA } from './shutdown.constants.js';
import type { ShutdownHookMetadata } from './interfaces/on-shutdown-options.interface.js';

/** Reads what @OnShutdown() stored on a method. */
@Injectable()
export class ShutdownMetadataAccessor {
  getHookMetadata(method: Function): ShutdownHookMetadata | undefined {
    return Reflect.getMetadata(SHUTDOWN_HOOK_METADATA, method);
  }
}
