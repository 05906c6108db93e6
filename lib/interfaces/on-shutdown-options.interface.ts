export interface OnShutdownOptions {
  /** Lower runs first; equal orders run concurrently; negative orders run before the HTTP drain. Default 0. */
  order?: number;
  /** This hook's own limit in ms: its `ctx.signal` aborts and it is reported `timedOut`. */
  timeout?: number;
  /** Name in logs and in the report. Default `ClassName.methodName`. Must be unique. */
  name?: string;
}

/** What @OnShutdown() stores on the method once its options are validated. */
export interface ShutdownHookMetadata {
  order: number;
  timeout?: number;
  name?: string;
}
