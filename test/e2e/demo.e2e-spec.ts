import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp, killLeftovers } from './support/child-app.js';

afterEach(killLeftovers);

describe('npm run demo', () => {
  it('shows the orders in flight at SIGTERM answered, stored as rows, and the sample exiting 0', async () => {
    // A fresh embedded database: the run a fresh clone makes first, which creates it.
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
    try {
      const demo = new ChildApp('sample/demo.js', { DATABASE_URL: '', EMBEDDED_DB_DIR: dataDir });
      const exit = await demo.exited;
      expect(demo.output.match(/POST \/orders \w+: answered 200/g)).toHaveLength(3);
      expect(demo.output).toMatch(/POST \/orders tray: failed, connect ECONNREFUSED/);
      expect(demo.output).toMatch(/\[order -10\] JobsConsumer\.stop\s+ok/);
      expect(demo.output).toMatch(/\[order 10\] OrdersBuffer\.flushOnShutdown\s+ok/);
      expect(demo.output).toMatch(/\[order 100\] db-pool\s+ok/);
      expect(demo.output).toMatch(/\[order 110\] embedded-postgres\s+ok/);
      expect(demo.output).toMatch(/read back after the exit from the embedded database in \S+demo-e2e-/);
      expect(demo.output).toMatch(/rows of this run no client was told about: none/);
      expect(demo.output).toMatch(/Accepted: 6, found in the database: 6 \(equal\)/);
      expect(demo.output).toMatch(/exited with code 0/);
      expect(demo.output).toMatch(/^PASS: /m);
      expect(exit.code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});
