import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication, type WebSocketAdapter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketGateway } from '@nestjs/websockets';
import { ShutdownModule } from '../../lib/index.js';
import { MemoryLogger } from './support/memory-logger.js';

@WebSocketGateway()
class Gateway {}

/** An adapter of the user's own, whose servers are neither ws nor socket.io. */
class HomeMadeAdapter implements WebSocketAdapter {
  create(): object {
    return { homeMade: true };
  }
  bindClientConnect(): void {}
  bindMessageHandlers(): void {}
  async close(): Promise<void> {}
  async dispose(): Promise<void> {}
}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(adapter: (app: INestApplication) => WebSocketAdapter): Promise<MemoryLogger> {
  const logger = new MemoryLogger();
  @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger, signals: [] })], providers: [Gateway] })
  class AppModule {}
  app = await NestFactory.create(AppModule, { logger: false });
  app.useWebSocketAdapter(adapter(app));
  await app.init();
  return logger;
}

describe("gateways' servers", () => {
  it('a server the library cannot drain is named at startup, with its adapter and what its clients will see', async () => {
    const logger = await start(() => new HomeMadeAdapter());
    expect(logger.lines).toContainEqual(
      expect.stringContaining("warn Shutdown: 1 WebSocket server(s) made by HomeMadeAdapter can't be drained (neither ws nor socket.io)"),
    );
  });

  it('no warning for the ws adapter, whose servers are drained', async () => {
    const logger = await start((nest) => new WsAdapter(nest));
    expect(logger.lines.filter((line) => line.includes("can't be drained"))).toEqual([]);
  });
});
