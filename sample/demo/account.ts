import { acceptedId, type Sent } from './clients.js';
import type { StoredOrder, StoredRows } from './read-back.js';
import type { OutputLine, SampleExit } from './sample-process.js';
import { renderTimeline, type TimelineEntry } from './timeline.js';

/** Everything the demo saw, times in performance.now(). */
export interface Observed {
  startedAt: number;
  sigtermAt?: number;
  appLines: readonly OutputLine[];
  demoSteps: readonly TimelineEntry[];
  sent: Sent[];
  exit?: SampleExit;
  /** The database read back after the exit, or why it could not be. */
  stored: StoredRows | Error;
  /** Why the demo could not play its script to the end. */
  problem?: string;
}

/** One accepted order and where the database holds it, if it does. */
interface Match {
  sent: Sent;
  id: string;
  row?: string;
}

/** Accepted orders matched to rows, and the rows of this run no client was told about. */
function reconcile(sent: readonly Sent[], stored: StoredRows): { matches: Match[]; unclaimed: string[] } {
  const orders = new Map<string, StoredOrder>(stored.orders.map((order) => [order.id, order]));
  const inbox = new Set(stored.inbox);
  const matches = sent.flatMap((one): Match[] => {
    const id = acceptedId(one);
    if (id === undefined) return [];
    if (one.who === 'customer') {
      const order = orders.get(id);
      orders.delete(id);
      return [{ sent: one, id, row: order && `orders row, ${order.quantity} x ${order.item}` }];
    }
    // A marketplace order is either imported (order mkt-<inbox id>) or still waiting in the inbox.
    const imported = orders.get(`mkt-${id}`);
    orders.delete(`mkt-${id}`);
    const waiting = inbox.delete(id);
    const row = imported
      ? `orders row mkt-${id}, ${imported.quantity} x ${imported.item} (imported)`
      : waiting
        ? `inbox row ${id} (not imported yet: the next start imports it)`
        : undefined;
    return [{ sent: one, id, row }];
  });
  const unclaimed = [
    ...[...orders.values()].map((order) => `orders row ${order.id}, ${order.quantity} x ${order.item}`),
    ...[...inbox].map((id) => `inbox row ${id}`),
  ];
  return { matches, unclaimed };
}

/** Passed: the customers in flight at SIGTERM got 200, accepted == stored, and the app exited 0. */
export function passed(observed: Observed): boolean {
  return problems(observed).length === 0;
}

function problems({ sent, stored, exit, problem }: Observed): string[] {
  const found: string[] = [];
  if (problem) found.push(problem);
  const cut = sent.filter((one) => one.who === 'customer' && !one.late && acceptedId(one) === undefined);
  if (cut.length > 0) found.push(`${cut.length} order(s) in flight at SIGTERM did not get their 200`);
  if (stored instanceof Error) found.push(`the database could not be read back (${stored.message})`);
  else {
    const { matches, unclaimed } = reconcile(sent, stored);
    const missing = matches.filter((match) => !match.row).length;
    if (missing > 0) found.push(`${missing} accepted order(s) are NOT in the database`);
    if (unclaimed.length > 0) found.push(`${unclaimed.length} row(s) no client was told about`);
  }
  if (!exit) found.push('the app did not exit');
  else if (exit.code !== 0) found.push(`the app ${describeExit(exit)}`);
  return found;
}

/** The demo's report, as lines: timeline, accepted orders next to their rows, exit, verdict. */
export function describe(observed: Observed): string[] {
  const { startedAt, sigtermAt, exit, stored } = observed;
  const zero = sigtermAt ?? startedAt;
  const since = (at: number): string => `${Math.round(at - zero)} ms after ${sigtermAt ? 'SIGTERM' : 'the start'}`;
  const found = problems(observed);
  return [
    'nestjs-shutdown demo: SIGTERM while customers\' orders are in flight',
    '',
    `Timeline, ms relative to ${sigtermAt ? 'SIGTERM' : 'the start (no SIGTERM was sent)'}:`,
    ...renderTimeline(observed.appLines, observed.demoSteps, zero).map((line) => `  ${line}`),
    '',
    ...describeRows(observed.sent, stored),
    '',
    `Exit: ${exit ? `${describeExit(exit)}, ${since(exit.at)}` : 'unknown'}`,
    '',
    found.length === 0
      ? 'PASS: the orders in flight at SIGTERM completed with 200, every order a client was told was ' +
        'accepted is in the database and no other is, and the app exited 0.'
      : `FAIL: ${found.join('; ')}.`,
  ];
}

function describeRows(sent: readonly Sent[], stored: StoredRows | Error): string[] {
  if (stored instanceof Error) return [`Database: could not be read back: ${stored.message}`];
  const { matches, unclaimed } = reconcile(sent, stored);
  const label = (one: Sent): string =>
    `${one.who === 'customer' ? 'customer   ' : 'marketplace'} ${one.quantity} x ${one.item}`.padEnd(26);
  const answer = (one: Sent): string =>
    one.result instanceof Error ? one.result.message : one.result ? String(one.result.status) : 'not sent';
  const lines = [`Told accepted -> read back after the exit from ${stored.database}:`];
  for (const one of sent) {
    const match = matches.find((candidate) => candidate.sent === one);
    if (match) {
      const id = one.who === 'customer' ? match.id : `inbox #${match.id}`;
      lines.push(`  ${label(one)} ${answer(one)} ${id.padEnd(36)} -> ${match.row ?? 'MISSING'}`);
    }
    else lines.push(`  ${label(one)} not accepted (${answer(one)}) -> nothing stored is expected`);
  }
  lines.push(
    `  rows of this run no client was told about: ${unclaimed.length === 0 ? 'none' : unclaimed.join('; ')}`,
    `Accepted: ${matches.length}, found in the database: ${matches.filter((match) => match.row).length}` +
      (matches.every((match) => match.row) && unclaimed.length === 0 ? ' (equal)' : ''),
  );
  return lines;
}

export function describeExit(exit: SampleExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
