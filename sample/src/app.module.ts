import { Module } from '@nestjs/common';
import { ShutdownModule } from 'nestjs-shutdown';
import { PRE_STOP_DELAY_MS, SHUTDOWN_TIMEOUT_MS } from './config.js';
import { FeedModule } from './feed/feed.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { OrdersModule } from './orders/orders.module.js';

@Module({
  imports: [
    ShutdownModule.forRoot({
      timeout: SHUTDOWN_TIMEOUT_MS,
      preStopDelay: PRE_STOP_DELAY_MS,
      // 200 while serving, 503 from the first moment of a shutdown: the load balancer's probe.
      readinessPath: '/health/ready',
    }),
    FeedModule,
    OrdersModule,
    JobsModule,
  ],
})
export class AppModule {}
