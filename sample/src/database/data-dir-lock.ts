import { readFile, unlink, writeFile } from 'node:fs/promises';

/**
 * PGlite does not lock its data directory: two processes opening the same one would both write to
 * it and corrupt it. This takes the directory for this process, in a `<dir>.pid` file beside it, or
 * throws naming the process that holds it. A file left by a process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.pid`;
  for (;;) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => unlink(lockFile).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(lockFile, 'utf8').catch(() => ''));
    if (holder > 0 && isRunning(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${holder}: give each instance ` +
          'its own EMBEDDED_DB_DIR, or set DATABASE_URL to a PostgreSQL server they share',
      );
    }
    await unlink(lockFile).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
