import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { createDrain, isDrainableGatewayServer } from '../drain/create-drain.js';
import { GrpcDrainer, isServerGrpc } from '../drain/grpc-drainer.js';
import { ShutdownEventEmitter } from '../events/shutdown-event-emitter.js';
import { createWorkSources } from '../integrations/create-work-sources.js';
import type { WorkSource } from '../integrations/work-source.interface.js';
import type { ResolvedShutdownOptions, ShutdownModuleOptions } from '../interfaces/shutdown-options.interface.js';
import { ShutdownLogger } from '../logging/shutdown-logger.js';
import { messages } from '../messages.js';
import { MethodHooks } from '../planning/method-hooks.js';
import { ShutdownProcess } from '../process/shutdown-process.js';
import { HookRegistry } from '../registration/hook-registry.js';
import { watchdogUnavailable } from '../process/watchdog.js';
import { registerReadinessRoute } from '../readiness/readiness-route.js';
import { ShutdownRunner } from '../run/shutdown-runner.js';
import { exploreHooks, findListeners, scanHooks } from '../shutdown.explorer.js';
import { ShutdownService } from '../shutdown.service.js';
import { resolveModuleOptions } from '../validation/resolve-module-options.js';
import { assertSingleImport } from './assert-single-import.js';
import { NestApplication } from './nest-application.js';

/**
 * Wires the library into the Nest application as it starts: finds the hooks, the application and
 * its server, routes `app.close()` through the sequence, and tells the process side once the
 * application is built.
 */
export class ShutdownInitializer implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private application?: NestApplication;
  private work: readonly WorkSource[] = [];
  private readonly grpc = new GrpcDrainer();
  private planAhead?: NodeJS.Immediate;
  private readonly events: ShutdownEventEmitter;

  /**
   * The library's objects for one application, made together from the module's options (validated
   * here: bad options fail bootstrap, never the shutdown). One provider for Nest to scan, create
   * and call hooks on instead of seven: each one costs every create → close cycle of a test suite.
   */
  static create(input: ShutdownModuleOptions | undefined, modulesContainer: ModulesContainer, adapterHost: HttpAdapterHost): ShutdownInitializer {
    const options = resolveModuleOptions(input);
    const logger = new ShutdownLogger(options.logger);
    const registry = new HookRegistry(logger);
    const runner = new ShutdownRunner(options, logger, registry);
    const process = new ShutdownProcess(options, runner, logger);
    return new ShutdownInitializer(options, modulesContainer, adapterHost, runner, process, logger, registry);
  }

  /** The public API, exported by the module. */
  readonly service: ShutdownService;

  private constructor(
    private readonly options: ResolvedShutdownOptions,
    private readonly modulesContainer: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
    private readonly runner: ShutdownRunner,
    private readonly process: ShutdownProcess,
    private readonly logger: ShutdownLogger,
    private readonly registry: HookRegistry,
  ) {
    this.service = new ShutdownService(runner, process, registry);
    this.events = new ShutdownEventEmitter(() => findListeners(modulesContainer), logger);
    // From the constructor: a hybrid app's gRPC microservice may listen before any onModuleInit
    // (startAllMicroservices() before listen()), and the call follower must be in its options then.
    modulesContainer.getRpcTargetRegistry?.().subscribe((server: unknown) => {
      if (isServerGrpc(server)) this.grpc.follow(server);
    });
  }

  onModuleInit(): void {
    assertSingleImport(this.modulesContainer);
    // Named and planned on first need; what can fail at start-up fails here.
    const scan = scanHooks(this.modulesContainer, this.logger);
    const application = NestApplication.of(this.modulesContainer);
    this.application = application;
    const adapter = this.adapterHost.httpAdapter;
    this.registry.setMethods(new MethodHooks(scan, this.logger));
    // Now, before any module's onApplicationBootstrap mounts scheduled jobs.
    this.work = createWorkSources(this.modulesContainer, this.options.integrations, this.logger);
    this.runner.prepare({
      work: this.work,
      events: this.events,
      drain: createDrain(adapter?.getHttpServer?.(), () => application.gatewayServers().servers, this.grpc),
      nestLifecycle: (signal) => application.runLifecycle(signal),
    });
    // Before close() is taken over: a refused readinessPath leaves Nest's own close() in place.
    if (this.options.readinessPath !== undefined) {
      if (adapter) registerReadinessRoute(adapter, this.options.readinessPath, () => this.runner.started);
      else this.logger.warn(messages.readinessWithoutHttp(this.options.readinessPath));
    }
    application.takeOverClose(async (signal) => {
      const { lifecycleError, report } = await this.process.close(signal);
      if (report.lifecycle.status === 'failed') throw lifecycleError;
    });
    const gateways = application.gatewayServers();
    const undrainable = gateways.servers.filter((server) => !isDrainableGatewayServer(server));
    if (undrainable.length > 0) this.logger.warn(messages.undrainableGatewayServers(gateways.adapter ?? 'unknown', undrainable.length));
    const noWatchdog = this.options.exit && this.options.watchdog ? watchdogUnavailable() : undefined;
    if (noWatchdog) this.logger.warn(messages.watchdogUnavailable(noWatchdog));
  }

  onApplicationBootstrap(): void {
    // Every onModuleInit has run: queue workers exist. Before a held signal can start a run.
    for (const source of this.work) source.ready?.();
    const nestSignals = this.application?.switchOffNestSignals() ?? [];
    if (nestSignals.length > 0) {
      const { adopted, dropped } = this.process.adoptSignals(nestSignals);
      this.logger.warn(messages.nestShutdownHooksSwitchedOff(adopted, dropped));
    }
    // Every module's onModuleInit has finished: a signal held until now starts its run.
    this.process.initialised();
    // The hooks' plan and the event listeners, left out of start-up, are found once the event loop
    // is idle, so that a shutdown seldom has to find them first. Unref'd: it keeps no process alive.
    this.planAhead = setImmediate(() => {
      this.planAhead = undefined;
      try {
        void this.registry.hooks;
        void this.events.hasListeners;
      } catch {
        // Made again, and thrown where it is needed.
      }
    }).unref();
  }

  /**
   * `app.close()` without `init()`: Nest's own hooks run, ours can't (nothing was discovered): say
   * so, and leave no process listener behind.
   */
  onModuleDestroy(): void {
    clearImmediate(this.planAhead);
    try {
      if (this.process.beforeInit && !this.application) {
        const hooks = exploreHooks(this.modulesContainer, this.logger).length;
        if (hooks > 0) this.logger.warn(messages.closedWithoutInit(hooks));
      }
    } finally {
      // Whatever naming the hooks threw: no listener left behind.
      this.process.applicationClosed();
    }
  }
}
