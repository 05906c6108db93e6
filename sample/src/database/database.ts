import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';
import pg from 'pg';
import { untilAborted } from '../common/until-aborted.js';
import { SCHEMA } from './schema.js';

/** Anything that runs a query: the pool, or one connection inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The app's PostgreSQL access through `pg`'s pool, which it ends last of all at shutdown. */
@Injectable()
export class Database implements OnModuleInit, Queryable {
  private readonly logger = new Logger(Database.name);

  constructor(@Inject(pg.Pool) private readonly pool: pg.Pool) {
    // Without a listener, a server closing an idle connection would crash the process.
    pool.on('error', (error) => this.logger.error(`An idle connection failed: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.pool.query(SCHEMA);
    } catch (error) {
      throw new Error(`The database at ${this.where()} could not be set up: ${(error as Error).message}`, { cause: error });
    }
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(sql, values);
  }

  /** Runs `work` on one connection between BEGIN and COMMIT; ROLLBACK if it throws. */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      // A connection that could not even roll back is not handed to the next caller.
      client.release(broken);
    }
  }

  /** The server's address, without the password. */
  private where(): string {
    const { connectionString } = this.pool.options;
    if (!connectionString) return 'the pg defaults (PGHOST, PGPORT...)';
    const { host, pathname } = new URL(connectionString);
    return `${host}${pathname}`;
  }

  // Last of all: the requests drained before, and every other hook, may still need a connection.
  // Ending it earlier is how apps get "Cannot use a pool after calling end on the pool".
  @OnShutdown({ order: 100, timeout: 2_000, name: 'db-pool' })
  async close({ signal }: ShutdownContext): Promise<void> {
    const { totalCount, idleCount, waitingCount } = this.pool;
    this.logger.log(
      `Ending the pool: ${totalCount - idleCount} of ${totalCount} connection(s) busy, ${waitingCount} caller(s) waiting`,
    );
    // end() waits for busy connections to be released, then closes them all.
    await untilAborted(this.pool.end(), signal);
    this.logger.log(`Pool ended: ${totalCount} connection(s) closed`);
  }
}
