import { postJson, type HttpResult } from './post-json.js';

/** One request the demo sends, as a customer (POST /orders) or as the marketplace's webhook. */
export interface Sent {
  who: 'customer' | 'marketplace';
  item: string;
  quantity: number;
  /** Sent after the app stopped taking connections: must be refused. */
  late?: boolean;
  result?: HttpResult | Error;
}

/** What the app told the client it stored: the id it answered with, or undefined when it did not accept. */
export function acceptedId(sent: Sent): string | undefined {
  const { result } = sent;
  if (!result || result instanceof Error) return undefined;
  const expected = sent.who === 'customer' ? 200 : 202;
  if (result.status !== expected) return undefined;
  try {
    const body = JSON.parse(result.body) as { id?: unknown; inboxId?: unknown };
    const id = sent.who === 'customer' ? body.id : body.inboxId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `sent` and records its answer (or error) in it; never rejects. */
export async function send(port: number, sent: Sent, abort: AbortSignal): Promise<Sent> {
  const path = sent.who === 'customer' ? '/orders' : '/marketplace/orders';
  sent.result = await postJson(port, path, { item: sent.item, quantity: sent.quantity }, abort).catch(
    (error: Error) => error,
  );
  return sent;
}
