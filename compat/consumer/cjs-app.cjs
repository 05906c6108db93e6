// A CommonJS user app: it loads the ES-module library with require() (Node >= 20.19), decorators
// applied by hand as TypeScript's CommonJS output would.
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { OnShutdown, ShutdownModule } = require('nestjs-shutdown');

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
  .then((app) => app.listen(0, '127.0.0.1'))
  .then(() => console.log('ready cjs'));
