import { Injectable } from '@nestjs/common';
import type { NewOrder } from '../orders/order.js';

export interface QueueMessage {
  id: string;
  order: NewOrder;
}

const ITEMS = ['kettle', 'teapot', 'mug', 'tray'];
const ARRIVAL_EVERY_MS = 500;

/** Stands in for a broker (SQS, RabbitMQ…): a marketplace sends an order every ARRIVAL_EVERY_MS. */
@Injectable()
export class MarketplaceQueue {
  private received = 0;
  private nextArrival = Date.now();

  /** The next message, or undefined when none has arrived since the last call. */
  receive(): QueueMessage | undefined {
    if (Date.now() < this.nextArrival) return undefined;
    this.nextArrival = Date.now() + ARRIVAL_EVERY_MS;
    const n = ++this.received;
    return { id: `mkt-${n}`, order: { item: ITEMS[n % ITEMS.length], quantity: 1 + (n % 3) } };
  }
}
