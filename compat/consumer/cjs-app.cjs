// A CommonJS user app: require() gets the library's CommonJS build; decorators applied by hand as
// TypeScript's CommonJS output would.
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { OnShutdown, ShutdownHealthIndicator, ShutdownModule } = require('nestjs-shutdown');

class Outbox {
  flush(ctx) {
    console.log(`hook ran: ${ctx.reason}`);
  }
}
Reflect.decorate([OnShutdown(10)], Outbox.prototype, 'flush', Object.getOwnPropertyDescriptor(Outbox.prototype, 'flush'));
Reflect.decorate([Injectable()], Outbox);

class AppModule {}
Reflect.decorate([Module({ imports: [ShutdownModule.forRoot({ timeout: 5_000 })], providers: [Outbox] })], AppModule);

NestFactory.create(AppModule, { logger: false })
  .then(async (app) => {
    await app.listen(0, '127.0.0.1');
    console.log(`readiness ${JSON.stringify(app.get(ShutdownHealthIndicator).isReady())}`);
    console.log('ready cjs');
  });
