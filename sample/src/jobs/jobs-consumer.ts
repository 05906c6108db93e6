import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';
import { untilAborted } from '../common/until-aborted.js';
import { JOBS_POLL_EVERY_MS } from '../config.js';
import { OrdersService } from '../orders/orders.service.js';
import { MarketplaceQueue, type QueueMessage } from './marketplace-queue.js';

/** Polls the marketplace queue and imports its orders, one message at a time. */
@Injectable()
export class JobsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobsConsumer.name);
  private timer?: NodeJS.Timeout;
  private current?: { message: QueueMessage; done: Promise<void> };
  private imported = 0;

  constructor(
    private readonly queue: MarketplaceQueue,
    private readonly orders: OrdersService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.poll(), JOBS_POLL_EVERY_MS);
  }

  // Negative order: runs before the HTTP drain, so the consumer takes no new message while
  // requests finish, and its last import reaches OrdersBuffer before the final flush (order 10).
  @OnShutdown(-10)
  async stop({ signal }: ShutdownContext): Promise<void> {
    clearInterval(this.timer);
    const current = this.current;
    this.logger.log(current ? `Stopping: waiting for message ${current.message.id}` : 'Stopping: idle');
    if (current) await untilAborted(current.done, signal);
    this.logger.log(`Stopped after importing ${this.imported} order(s)`);
  }

  private poll(): void {
    if (this.current) return;
    const message = this.queue.receive();
    if (!message) return;
    const done = this.handle(message).finally(() => (this.current = undefined));
    this.current = { message, done };
  }

  private async handle(message: QueueMessage): Promise<void> {
    try {
      const order = await this.orders.import(message.order);
      this.imported++;
      this.logger.debug(`Message ${message.id}: imported as order ${order.id}`);
    } catch (error) {
      // A real broker would redeliver the message: it was never acknowledged.
      this.logger.error(`Message ${message.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
