import { Injectable } from '@nestjs/common';
import type {
  ShutdownModuleOptions,
  ShutdownOptionsFactory,
} from 'nestjs-shutdown';

@Injectable()
export class ShutdownConfig implements ShutdownOptionsFactory {
  createShutdownOptions(): ShutdownModuleOptions {
    return { timeout: 5_000, logger: false };
  }
}
