import { Injectable } from '@nestjs/common';
import { interval, map, merge, Subject, type Observable } from 'rxjs';
import type { Order } from '../orders/order.js';

/** What a live client is sent: each order placed, and a heartbeat that keeps idle proxies from closing the stream. */
export type FeedEvent = { type: 'order'; order: Order } | { type: 'heartbeat' };

const HEARTBEAT_MS = 1_000;

/** Orders as they are placed, for dashboards that follow them live (over SSE or a WebSocket). */
@Injectable()
export class OrdersFeed {
  private readonly placed = new Subject<Order>();

  publish(order: Order): void {
    this.placed.next(order);
  }

  events(): Observable<FeedEvent> {
    return merge(
      this.placed.pipe(map((order): FeedEvent => ({ type: 'order', order }))),
      interval(HEARTBEAT_MS).pipe(map((): FeedEvent => ({ type: 'heartbeat' }))),
    );
  }
}
