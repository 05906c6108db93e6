import { Injectable } from '@nestjs/common';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';

@Injectable()
export class Outbox {
  readonly flushed: string[] = [];

  @OnShutdown({ order: 10, name: 'outbox' })
  flush(ctx: ShutdownContext): void {
    this.flushed.push(ctx.reason);
  }
}
