import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ShutdownModule } from 'nestjs-shutdown';
import { AppController } from './app.controller';
import { AppService } from './app.service';
import { HealthController } from './health.controller';
import { Outbox } from './outbox.service';
import { ShutdownConfig } from './shutdown.config';

@Module({
  imports: [
    TerminusModule,
    ShutdownModule.forRootAsync({ useClass: ShutdownConfig }),
  ],
  controllers: [AppController, HealthController],
  providers: [AppService, Outbox],
})
export class AppModule {}
