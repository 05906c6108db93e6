import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';
import { DB_POOL_SIZE } from '../config.js';
import { ConnectionPool } from './connection-pool.js';

/** A fake database: queries only hold a pooled connection for as long as they "take". */
@Injectable()
export class Database {
  private readonly logger = new Logger(Database.name);
  private readonly pool = new ConnectionPool(DB_POOL_SIZE);

  query(sql: string, latencyMs: number): Promise<void> {
    return this.pool.run(sql, () => sleep(latencyMs));
  }

  // Last of all: every other hook, and the requests drained before them, may still need a connection.
  @OnShutdown({ order: 100, timeout: 2_000, name: 'db-pool' })
  async close({ signal }: ShutdownContext): Promise<void> {
    this.logger.log(`Closing the pool (${this.pool.busyCount} of ${this.pool.size} connections busy)`);
    const ended = await this.pool.close(signal);
    this.logger.log(`Pool closed: ${ended} connections ended`);
  }
}
