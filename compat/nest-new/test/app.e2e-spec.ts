import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownHealthIndicator } from 'nestjs-shutdown';
import { simulateShutdown } from 'nestjs-shutdown/testing';
import request from 'supertest';
import { App } from 'supertest/types';
import { AppModule } from './../src/app.module';

describe('AppController (e2e)', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('/ (GET)', () => {
    return request(app.getHttpServer())
      .get('/')
      .expect(200)
      .expect('Hello World!');
  });

  it('/health/ready (GET) is up while serving, from terminus', async () => {
    const check = jest.spyOn(HealthIndicatorService.prototype, 'check');
    await request(app.getHttpServer())
      .get('/health/ready')
      .expect(200)
      .expect((response) => {
        expect(response.body.info).toEqual({ shutdown: { status: 'up' } });
      });
    expect(check).toHaveBeenCalledWith('shutdown');
    check.mockRestore();
  });

  it('the readiness indicator is down once the app shuts down', async () => {
    await simulateShutdown(app, 'deploy');
    expect(app.get(ShutdownHealthIndicator).isReady()).toEqual({
      shutdown: { status: 'down', shuttingDown: true },
    });
  });

  afterEach(async () => {
    await app.close();
  });
});
