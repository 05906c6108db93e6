import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../ports.js';

/** A Redis server of its own for a test: Debian's redis-server on 127.0.0.1, a free port, a temp folder, no persistence. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

export function findRedisServer(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) throw new Error(`no redis-server in ${CANDIDATES.join(' or ')}: install Debian's redis-server package (.ci/run does)`);
  return found;
}

/**
 * Spawned directly, not as a test/support Child: the e2e tests' afterEach kills every Child still
 * running, and this server outlives the tests of its file.
 */
export async function startRedis(): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'nestjs-shutdown-redis-'));
  // The port is free when picked, and might not be by the time the server binds it: retry then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    const server = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = await readyOrEnded(server);
    if (output.ready) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: async () => {
          const ended = new Promise((resolve) => server.once('exit', resolve));
          if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
          await ended;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (attempt < 3 && /Address already in use/.test(output.text)) continue;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start ${binary}:\n${output.text}`);
  }
}

/** Resolves once the server said it is ready (its output then no longer read), or ended, or 15 s passed (then killed). */
function readyOrEnded(server: ChildProcess): Promise<{ ready: boolean; text: string }> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (ready: boolean): void => {
      clearTimeout(timer);
      server.stdout!.removeListener('data', onData);
      server.removeListener('exit', onExit);
      // Keeps draining its output, so that the pipe never fills.
      server.stdout!.resume();
      server.stderr!.resume();
      resolve({ ready, text });
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      if (/Ready to accept connections/.test(text)) finish(true);
    };
    const onExit = (): void => finish(false);
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      finish(false);
    }, 15_000);
    server.stdout!.on('data', onData);
    server.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    server.once('exit', onExit);
  });
}
