import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { parseNewOrder, type Order } from './order.js';
import { OrdersBuffer } from './orders-buffer.js';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly buffer: OrdersBuffer,
  ) {}

  /** Slow (~1.5 s): the request a shutdown must let finish. Answers 200 with the order placed. */
  @Post()
  @HttpCode(HttpStatus.OK)
  place(@Body() body: unknown): Promise<Order> {
    return this.orders.place(parseNewOrder(body));
  }

  /** Fast: what the write-behind buffer holds and has written. */
  @Get('buffer')
  bufferStats(): ReturnType<OrdersBuffer['stats']> {
    return this.buffer.stats();
  }
}
