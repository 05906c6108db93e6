import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { JobsConsumer } from './jobs-consumer.js';
import { MarketplaceController } from './marketplace.controller.js';

@Module({
  imports: [DatabaseModule],
  controllers: [MarketplaceController],
  providers: [JobsConsumer],
})
export class JobsModule {}
