import { Injectable } from '@nestjs/common';
import { hookMethodsOf, type HookMethod } from './decorators/hook-method-registry.js';

/** Reads what @OnShutdown() recorded about a class. */
@Injectable()
export class ShutdownMetadataAccessor {
  /** The @OnShutdown() methods an instance of this prototype runs, with their validated options. */
  getHookMethods(prototype: object): readonly HookMethod[] {
    return hookMethodsOf(prototype);
  }
}
