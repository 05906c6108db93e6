import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { JobsConsumer } from './jobs-consumer.js';
import { MarketplaceQueue } from './marketplace-queue.js';

@Module({
  imports: [OrdersModule],
  providers: [MarketplaceQueue, JobsConsumer],
})
export class JobsModule {}
