import { Injectable, Logger } from '@nestjs/common';
import { IMPORT_ORDER_MS, PLACE_ORDER_MS } from '../config.js';
import { Database } from '../database/database.js';
import { createOrder, type NewOrder, type Order } from './order.js';
import { OrdersBuffer } from './orders-buffer.js';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly db: Database,
    private readonly buffer: OrdersBuffer,
  ) {}

  /** A customer's order, from HTTP: stock is reserved in a slow transaction. */
  async place(input: NewOrder): Promise<Order> {
    const order = createOrder(input, 'http');
    this.logger.log(`Order ${order.id}: reserving ${order.quantity} x ${order.item}`);
    await this.db.query('UPDATE stock SET reserved = reserved + $1 WHERE item = $2', PLACE_ORDER_MS);
    this.buffer.add(order);
    this.logger.log(`Order ${order.id}: placed`);
    return order;
  }

  /** An order from the marketplace queue, already paid and reserved there. */
  async import(input: NewOrder): Promise<Order> {
    const order = createOrder(input, 'marketplace');
    await this.db.query('INSERT INTO marketplace_orders VALUES ($1, $2)', IMPORT_ORDER_MS);
    this.buffer.add(order);
    return order;
  }
}
