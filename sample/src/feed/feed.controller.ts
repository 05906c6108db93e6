import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { OrdersFeed } from './orders-feed.js';

@Controller('orders')
export class FeedController {
  constructor(private readonly feed: OrdersFeed) {}

  /** Server-Sent Events: an EventSource reconnects by itself when the stream ends (at shutdown, say). */
  @Sse('feed')
  stream(): Observable<MessageEvent> {
    return this.feed.events().pipe(map((event) => ({ type: event.type, data: event })));
  }
}
