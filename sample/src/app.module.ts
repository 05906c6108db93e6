import { Module } from '@nestjs/common';
import { ShutdownModule } from 'nestjs-shutdown';
import { JobsModule } from './jobs/jobs.module.js';
import { OrdersModule } from './orders/orders.module.js';

@Module({
  imports: [ShutdownModule.forRoot({ timeout: 8_000 }), OrdersModule, JobsModule],
})
export class AppModule {}
