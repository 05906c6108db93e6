import { Test } from '@nestjs/testing';
import { simulateShutdown, simulateSignal } from 'nestjs-shutdown/testing';
import { AppModule } from './app.module';
import { Outbox } from './outbox.service';

describe('Outbox on shutdown', () => {
  it('is flushed on SIGTERM, and the app would exit 0', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    const app = await moduleRef.init();

    const { report, exitCode } = await simulateSignal(app, 'SIGTERM');

    expect(app.get(Outbox).flushed).toEqual(['SIGTERM']);
    expect(report.outcome).toBe('completed');
    expect(report.hooks.map((hook) => [hook.name, hook.status])).toEqual([
      ['outbox', 'ok'],
    ]);
    expect(exitCode).toBe(0);
  });

  it('is flushed by a shutdown started in code', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    const app = await moduleRef.init();

    const { report } = await simulateShutdown(app, 'deploy');

    expect(app.get(Outbox).flushed).toEqual(['deploy']);
    expect(report.reason).toBe('deploy');
  });
});
