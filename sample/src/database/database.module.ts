import { Module, type Provider } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL, DB_POOL_SIZE, EMBEDDED_DB_DIR } from '../config.js';
import { Database } from './database.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

/** The pool for DATABASE_URL's server. */
const poolForUrl: Provider = {
  provide: pg.Pool,
  useFactory: () => new pg.Pool({ connectionString: DATABASE_URL, max: DB_POOL_SIZE }),
};

/** The pool for an embedded server started to accept as many connections as the pool opens. */
const poolForEmbedded: Provider = {
  provide: pg.Pool,
  inject: [EmbeddedPostgres],
  useFactory: async (embedded: EmbeddedPostgres) =>
    new pg.Pool({
      connectionString: await embedded.start(EMBEDDED_DB_DIR, DB_POOL_SIZE),
      max: DB_POOL_SIZE,
      // Kept open: a connection closed and replaced at once could find its old slot not freed yet.
      idleTimeoutMillis: 0,
    }),
};

@Module({
  providers: [...(DATABASE_URL ? [poolForUrl] : [EmbeddedPostgres, poolForEmbedded]), Database],
  exports: [Database],
})
export class DatabaseModule {}
