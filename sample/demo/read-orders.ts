import { readFile } from 'node:fs/promises';

/** The lines of the orders file, or why there are none. */
export async function readOrderLines(file: string): Promise<{ lines: string[]; problem?: string }> {
  try {
    const text = await readFile(file, 'utf8');
    return { lines: text.split('\n').filter((line) => line.trim() !== '') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], problem: 'no file was written' };
    return { lines: [], problem: error instanceof Error ? error.message : String(error) };
  }
}
