import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(process.env.PORT ?? 3000);
  // With PORT=0 this line is the only way to learn the port (the demo waits for it).
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}`);
}
bootstrap();
