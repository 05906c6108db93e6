import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Injectable, Logger } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { OnShutdown } from 'nestjs-shutdown';
import { lockDataDir } from './data-dir-lock.js';

/**
 * PostgreSQL without installing it, for running the sample as it is: PGlite (Postgres compiled to
 * WebAssembly, in this process) behind a wire-protocol server on 127.0.0.1, so the app talks to it
 * through `pg` exactly as to a real server. Only used when DATABASE_URL is unset.
 *
 * PGlite is one database session: the socket server multiplexes its connections onto it, one
 * protocol message at a time, and gives a connection inside a transaction the session to itself.
 * It accepts `maxConnections` connections at once (1 unless told) and turns further ones away with
 * "Too many connections", which `pg` reports as "Connection terminated unexpectedly".
 */
@Injectable()
export class EmbeddedPostgres {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private db?: PGlite;
  private server?: PGLiteSocketServer;
  private unlock?: () => Promise<void>;

  /** Opens (or creates, on the first run) the database in `dataDir`; resolves to its connection string. */
  async start(dataDir: string, maxConnections: number): Promise<string> {
    const startedAt = performance.now();
    await mkdir(dataDir, { recursive: true });
    this.unlock = await lockDataDir(dataDir);
    this.db = await PGlite.create(dataDir);
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: 0, maxConnections });
    await this.server.start();
    const address = this.server.getServerConn();
    const ms = Math.round(performance.now() - startedAt);
    this.logger.log(`Embedded PostgreSQL (PGlite) on ${address}, data in ${dataDir}, ready in ${ms} ms`);
    return `postgres://postgres@${address}/postgres`;
  }

  // After the pool (order 100): the server must outlive the last connection using it.
  @OnShutdown({ order: 110, timeout: 2_000, name: 'embedded-postgres' })
  async stop(): Promise<void> {
    await this.server?.stop();
    // Closing writes PGlite's last changes to the data directory and shuts Postgres down cleanly.
    await this.db?.close();
    await this.unlock?.();
    this.logger.log('Embedded PostgreSQL stopped, data directory closed');
  }
}
