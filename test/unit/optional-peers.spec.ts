import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = fileURLToPath(new URL('../../lib/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The libraries the integrations recognise in an application: found through Nest's container, never loaded. */
const OPTIONAL = ['@nestjs/schedule', '@nestjs/bullmq', 'bullmq', 'ioredis', 'cron'];

describe('the integrations load nothing', () => {
  it.each(OPTIONAL)('no file of lib/ imports or requires %s', (name) => {
    const pattern = new RegExp(`(from|import\\(|require\\()\\s*['"]${name.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`);
    const importers = sources(LIB).filter((file) => pattern.test(readFileSync(file, 'utf8')));
    expect(importers).toEqual([]);
  });

  it('no file of lib/ uses import.meta (the CommonJS build could not run it)', () => {
    expect(sources(LIB).filter((file) => readFileSync(file, 'utf8').includes('import.meta'))).toEqual([]);
  });
});
