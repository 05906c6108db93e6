import { Global, Module } from '@nestjs/common';
import { FeedController } from './feed.controller.js';
import { FeedGateway } from './feed.gateway.js';
import { OrdersFeed } from './orders-feed.js';

@Global()
@Module({ controllers: [FeedController], providers: [OrdersFeed, FeedGateway], exports: [OrdersFeed] })
export class FeedModule {}
