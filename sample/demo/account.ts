import type { HttpResult } from './post-json.js';
import type { OutputLine, SampleExit } from './sample-process.js';
import { renderTimeline, type TimelineEntry } from './timeline.js';

/** Everything the demo saw, times in performance.now(). */
export interface Observed {
  startedAt: number;
  sigtermAt?: number;
  appLines: readonly OutputLine[];
  demoSteps: readonly TimelineEntry[];
  response?: HttpResult | Error;
  exit?: SampleExit;
  ordersFile: string;
  orders: { lines: string[]; problem?: string };
  /** Why the demo could not play its script to the end. */
  problem?: string;
}

/** Passed: the request in flight at SIGTERM got its 200 and the app exited 0. */
export function passed({ response, exit }: Observed): boolean {
  return isAnswer(response) && response.status === 200 && exit?.code === 0;
}

/** The demo's report, as lines: timeline, request, orders file, exit, verdict. */
export function describe(observed: Observed): string[] {
  const { startedAt, sigtermAt, response, exit, orders, ordersFile } = observed;
  const zero = sigtermAt ?? startedAt;
  const since = (at: number): string => `${Math.round(at - zero)} ms after ${sigtermAt ? 'SIGTERM' : 'the start'}`;
  const indent = (line: string): string => `               ${line}`;
  return [
    'nestjs-shutdown demo: SIGTERM while a slow POST /orders is in flight',
    '',
    `Timeline, ms relative to ${sigtermAt ? 'SIGTERM' : 'the start (no SIGTERM was sent)'}:`,
    ...renderTimeline(observed.appLines, observed.demoSteps, zero).map((line) => `  ${line}`),
    '',
    response instanceof Error
      ? `Slow request:  POST /orders failed: ${response.message}`
      : response
        ? `Slow request:  POST /orders -> ${response.status}, ${since(response.at)}\n${indent(response.body)}`
        : 'Slow request:  not sent',
    `Orders file:   ${orders.problem ?? `${orders.lines.length} record(s)`} (${ordersFile}, since removed)`,
    ...orders.lines.map(indent),
    `Exit:          ${exit ? `${describeExit(exit)}, ${since(exit.at)}` : 'unknown'}`,
    '',
    verdict(observed),
  ];
}

function verdict(observed: Observed): string {
  const { response, exit, problem, orders } = observed;
  if (passed(observed)) {
    const id = isAnswer(response) ? orderIdOf(response.body) : undefined;
    const inFile = id !== undefined && orders.lines.some((line) => line.includes(`"id":"${id}"`));
    return (
      'PASS: the request in flight at SIGTERM completed with 200, ' +
      `${inFile ? 'its order reached the file' : 'but its order is NOT in the file'}, and the app exited 0.`
    );
  }
  const reasons = [
    problem,
    response instanceof Error ? `the request failed (${response.message})` : undefined,
    isAnswer(response) && response.status !== 200 ? `the request got ${response.status}` : undefined,
    exit && exit.code !== 0 ? `the app ${describeExit(exit)}` : undefined,
  ].filter(Boolean);
  return `FAIL: ${reasons.join('; ') || 'see above'}.`;
}

function isAnswer(response: HttpResult | Error | undefined): response is HttpResult {
  return response !== undefined && !(response instanceof Error);
}

export function describeExit(exit: SampleExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

function orderIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
