import { afterEach, describe, expect, it } from '@jest/globals';
import { ChildApp, killLeftovers } from './support/child-app.js';

afterEach(killLeftovers);

describe('npm run demo', () => {
  it('shows the sample finishing its request in flight and exiting 0 after SIGTERM', async () => {
    const demo = new ChildApp('sample/demo.js');
    const exit = await demo.exited;
    expect(demo.output).toMatch(/POST \/orders -> 200/);
    expect(demo.output).toMatch(/\[order -10\] JobsConsumer\.stop\s+ok/);
    expect(demo.output).toMatch(/exited with code 0/);
    expect(exit.code).toBe(0);
  }, 20_000);
});
