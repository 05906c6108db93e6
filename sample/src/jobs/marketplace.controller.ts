import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Database } from '../database/database.js';
import { parseNewOrder } from '../orders/order.js';

/**
 * The marketplace's webhook: an order sold there is stored in the inbox and acknowledged at once;
 * the jobs consumer imports it later. Once answered 202, it is in the database.
 */
@Controller('marketplace')
export class MarketplaceController {
  constructor(private readonly db: Database) {}

  @Post('orders')
  @HttpCode(HttpStatus.ACCEPTED)
  async receive(@Body() body: unknown): Promise<{ inboxId: string }> {
    const { item, quantity } = parseNewOrder(body);
    const { rows } = await this.db.query<{ id: string }>(
      'INSERT INTO marketplace_inbox (item, quantity) VALUES ($1, $2) RETURNING id',
      [item, quantity],
    );
    return { inboxId: rows[0].id };
  }
}
