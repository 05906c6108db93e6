import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { OrdersFeed } from './orders-feed.js';

/** The same feed over a WebSocket at /feed; at shutdown every client gets close 1001 and reconnects elsewhere. */
@WebSocketGateway({ path: '/feed' })
export class FeedGateway implements OnGatewayConnection {
  private readonly subscriptions = new WeakMap<WebSocket, Subscription>();

  constructor(private readonly feed: OrdersFeed) {}

  handleConnection(client: WebSocket): void {
    this.subscriptions.set(client, this.feed.events().subscribe((event) => client.send(JSON.stringify(event))));
    client.once('close', () => this.subscriptions.get(client)?.unsubscribe());
  }
}
