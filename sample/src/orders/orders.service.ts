import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { PLACE_ORDER_MS } from '../config.js';
import { Database } from '../database/database.js';
import { OrdersFeed } from '../feed/orders-feed.js';
import { createOrder, type NewOrder, type Order } from './order.js';
import { OrdersBuffer } from './orders-buffer.js';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly db: Database,
    private readonly buffer: OrdersBuffer,
    private readonly feed: OrdersFeed,
  ) {}

  /** A customer's order, from HTTP: stock is reserved, the card authorised, the order buffered. */
  async place(input: NewOrder): Promise<Order> {
    const order = createOrder(input, 'http');
    this.logger.log(`Order ${order.id}: reserving ${order.quantity} x ${order.item}`);
    const reserved = await this.db.query('UPDATE stock SET reserved = reserved + $1 WHERE item = $2', [
      order.quantity,
      order.item,
    ]);
    if (reserved.rowCount === 0) throw new BadRequestException(`"${order.item}" is not an item we sell`);
    await this.authorisePayment(order);
    this.buffer.add(order);
    this.feed.publish(order);
    this.logger.log(`Order ${order.id}: placed`);
    return order;
  }

  /** Stands in for the payment provider's API: a remote call that takes PLACE_ORDER_MS. */
  private async authorisePayment(_order: Order): Promise<void> {
    await sleep(PLACE_ORDER_MS);
  }
}
