import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../ports.js';

const run = promisify(execFile);
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** A PostgreSQL server of its own for a test: initdb'd into a temp folder, on 127.0.0.1. */
export interface PostgresServer {
  /** Connection string for the `postgres` superuser (trust authentication, local only). */
  url: string;
  version: string;
  stop(): Promise<void>;
}

/** The newest Debian PostgreSQL's bin folder; throws saying what to install when there is none. */
export function findPostgresBin(): { bin: string; version: string } {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((version) => existsSync(join(DEBIAN_ROOT, version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`no PostgreSQL under ${DEBIAN_ROOT}/*/bin: install Debian's postgresql package (.ci/run does)`);
  }
  return { bin: join(DEBIAN_ROOT, versions[0], 'bin'), version: versions[0] };
}

/** Postgres refuses to run as root: as root, its programs run as the `postgres` user. */
async function asServerUser(): Promise<{ prefix: string[]; chown(path: string): void }> {
  if (process.getuid?.() !== 0) return { prefix: [], chown: () => undefined };
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout);
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout);
  return { prefix: ['runuser', '-u', 'postgres', '--'], chown: (path) => chownSync(path, uid, gid) };
}

export async function startPostgres(): Promise<PostgresServer> {
  const { bin, version } = findPostgresBin();
  const user = await asServerUser();
  const dir = mkdtempSync(join(tmpdir(), 'nestjs-shutdown-pg-'));
  user.chown(dir);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pg = (program: string, args: string[]) => {
    const [command, ...rest] = [...user.prefix, join(bin, program), ...args];
    return run(command, rest, { timeout: 60_000 });
  };
  try {
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    // The port is free when picked, and might not be by the time the server binds it: retry then.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`;
      try {
        await pg('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '30', 'start']);
      } catch (error) {
        if (attempt < 3 && /could not bind|already in use/i.test(readLog(log))) continue;
        throw error;
      }
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        version,
        stop: async () => {
          await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL ${version}: ${detail}\n${readLog(log)}`);
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
