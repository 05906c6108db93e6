import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureOptions } from '../../fixtures/support/bootstrap.js';
import type { HookSpec } from '../../fixtures/support/hooks.js';
import { Child, killAllChildren, type NodeChildOptions } from '../../support/child-process.js';

export type { ChildExit } from '../../support/child-process.js';
export type { HookSpec };

/**
 * Compiled fixtures live in build/ (npm run build:apps), importing the built package like a user
 * would. E2E_BUILD_DIR points elsewhere: compat/nest11/build runs them against NestJS 11.
 */
export const BUILD_DIR = process.env.E2E_BUILD_DIR
  ? resolve(process.env.E2E_BUILD_DIR) + sep
  : fileURLToPath(new URL('../../../build/', import.meta.url));

export interface AppEvent {
  type: string;
  t: number;
  [key: string]: unknown;
}

export type LaunchOptions = Pick<NodeChildOptions, 'launcher' | 'nodeOptions' | 'ipc'>;

/** A compiled script running under node in a child process, with the `EVENT {json}` lines of its stdout collected. */
export class ChildApp extends Child {
  readonly events: AppEvent[] = [];

  /** `script`: relative to BUILD_DIR, or absolute. */
  constructor(script: string, env: Record<string, string> = {}, { launcher = [], nodeOptions = [], ipc }: LaunchOptions = {}) {
    const path = isAbsolute(script) ? script : BUILD_DIR + script;
    const [command, ...args] = [...launcher, process.execPath, ...nodeOptions, path];
    super(command, args, { env, name: script, ipc });
    this.onLine((line, stream) => {
      if (stream === 'stdout' && line.startsWith('EVENT ')) this.events.push(JSON.parse(line.slice('EVENT '.length)));
    });
  }

  /** node itself, which always starts. */
  override get pid(): number {
    return super.pid!;
  }

  eventsOf(type: string): AppEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  waitForEvent(type: string, timeoutMs?: number): Promise<AppEvent> {
    return this.waitFor(() => this.events.find((event) => event.type === type), { timeoutMs, what: `the ${type} event` });
  }
}

/** The e2e fixture apps of test/fixtures/, one per concern (see each file's comment). */
export type FixtureApp =
  | 'hooks-app'
  | 'http-app'
  | 'context-app'
  | 'microservice-app'
  | 'hybrid-app'
  | 'close-in-code-app'
  | 'slow-boot-app'
  | 'user-listener-app'
  | 'user-exit-app'
  | 'fatal-error-app'
  | 'two-apps-app'
  | 'sse-app'
  | 'ws-gateway-app'
  | 'socket-io-app'
  | 'http2-app'
  | 'grpc-app'
  | 'pino-app'
  | 'schedule-app'
  | 'bullmq-app';

export interface AppSetup {
  hooks?: HookSpec[];
  /** ShutdownModule.forRoot() options (the logger is Nest's). */
  options?: FixtureOptions;
  /** The fixture's own variables (SLOW_MS, ADAPTER, ...). */
  env?: Record<string, string>;
}

/** Starts a fixture app without waiting for it. */
export function launchApp(fixture: FixtureApp, { hooks = [], options = {}, env = {} }: AppSetup = {}, launch?: LaunchOptions): ChildApp {
  return new ChildApp(`test/fixtures/${fixture}.js`, { ...env, HOOKS: JSON.stringify(hooks), SHUTDOWN_OPTIONS: JSON.stringify(options) }, launch);
}

/** Starts a fixture app and waits for it to be ready; fails with its output if it ends first. */
export async function startApp(fixture: FixtureApp, setup?: AppSetup, launch?: LaunchOptions): Promise<{ app: ChildApp; port: number }> {
  const app = launchApp(fixture, setup, launch);
  const ready = await app.waitForEvent('ready');
  return { app, port: ready.port as number };
}

/** For afterEach: no child outlives its test. */
export const killLeftovers = killAllChildren;
