import { request } from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
  /** performance.now() when the response ended. */
  at: number;
}

/** POSTs `payload` as JSON to 127.0.0.1:`port`; rejects on a network error, a cut response or `abort`. */
export function postJson(port: number, path: string, payload: unknown, abort: AbortSignal): Promise<HttpResult> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent: false, // A socket of its own, not one a keep-alive pool would hold open after the demo.
        signal: abort,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, at: performance.now() }));
        response.on('error', reject);
        response.on('close', () => response.complete || reject(new Error('the response was cut before its end')));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
