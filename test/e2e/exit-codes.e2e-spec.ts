import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe('the exit code is the highest anything asked for', () => {
  it('process.exitCode set by a hook: the process exits with it', async () => {
    const { app } = await startApp('context-app', { hooks: [{ name: 'sets', behaviour: 'exit-code:5' }] });
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(5);
    expect(app.output).toContain('Exiting with code 5');
  });

  it('two applications in one process, one failing: one exit, 1, and both logs say so', async () => {
    const { app } = await startApp('two-apps-app');
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(1);
    expect(app.eventsOf('hook-end').map((e) => e.name).sort()).toEqual(['failing', 'healthy']);
    expect(app.output.match(/Exiting with code 1/g)).toHaveLength(2);
    expect(app.output).not.toMatch(/Exiting with code 0/);
  });
});
