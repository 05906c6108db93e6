import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { ShutdownContext } from './interfaces/shutdown-context.interface.js';

/** A discovered @OnShutdown() method, bound to its instance, ready to run. */
export interface ShutdownHook {
  readonly name: string;
  readonly order: number;
  readonly timeout?: number;
  /** Hooks of the same order that must finish before this one starts (dependency-aware order). */
  readonly after: readonly string[];
  invoke(context: ShutdownContext): unknown;
}

/** A hook as discovered, before planning: with the provider it belongs to. */
export interface DiscoveredHook extends Omit<ShutdownHook, 'after'> {
  readonly provider: InstanceWrapper;
}
