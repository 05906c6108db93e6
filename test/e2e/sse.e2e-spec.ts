import { afterEach, describe, expect, it } from '@jest/globals';
import { get } from 'node:http';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

interface StreamSeen {
  text: string;
  /** How the stream ended: 'end' is a clean end of the response, 'aborted' or 'error' a cut. */
  ending: Promise<'end' | 'aborted' | 'error'>;
}

/** A plain HTTP reader of an event stream, as an EventSource reads it. */
function readEvents(port: number): Promise<StreamSeen> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/events', headers: { accept: 'text/event-stream' }, agent: false }, (response) => {
      const seen: StreamSeen = {
        text: '',
        ending: new Promise((settle) => {
          response.on('end', () => settle('end'));
          response.on('aborted', () => settle('aborted'));
          response.on('error', () => settle('error'));
        }),
      };
      response.on('data', (chunk) => (seen.text += chunk));
      resolve(seen);
    }).on('error', reject);
  });
}

describe.each(['express', 'fastify'])('Server-Sent Events on %s', (ADAPTER) => {
  it('each open stream is ended cleanly when the drain starts, after whole events only, and the process exits at once', async () => {
    const { app, port } = await startApp('sse-app', { env: { ADAPTER } });
    const streams = await Promise.all([readEvents(port), readEvents(port), readEvents(port)]);
    await app.waitFor(() => streams.every((stream) => stream.text.includes('data:')));
    app.kill();
    const endings = await Promise.all(streams.map((stream) => stream.ending));
    expect(endings).toEqual(['end', 'end', 'end']);
    for (const { text } of streams) {
      // Every event the client got is whole: an EventSource loses nothing and reconnects elsewhere.
      expect(text.endsWith('\n\n')).toBe(true);
      expect(text).toMatch(/data: \{"n":0\}/);
    }
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_000);
    expect(app.output).toMatch(/Drain: 0 request\(s\) on 3 open connection\(s\) at start, 0 finished, 0 cut; 3 SSE stream\(s\) at start, 3 finished, 0 cut/);
    expect(app.output).not.toMatch(/ERR_STREAM_WRITE_AFTER_END|write after end/i);
  });
});
