/**
 * CPU pinning with `taskset` (util-linux): a server on one core, its load generator on another, so
 * that neither steals the other's time. Falls back to no pinning (and says so) when taskset is
 * missing or the machine has a single core.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface Pinning {
  /** Prefix for a child's command line: `taskset -c <server core>`, or nothing. */
  serverLauncher: string[];
  /** Pins this process (all its threads) to the load generator's core; returns what undoes it. */
  pinSelf(): () => void;
  /** How it was done, for the output. */
  note: string;
}

function taskset(args: string[]): { ok: boolean; stdout: string } {
  const result = spawnSync('taskset', args, { encoding: 'utf8' });
  return { ok: result.status === 0, stdout: result.stdout ?? '' };
}

export function cpuPinning(): Pinning {
  const cores = cpus().length;
  const unpinned = (why: string): Pinning => ({ serverLauncher: [], pinSelf: () => () => undefined, note: `not pinned (${why}): server and load generator share the cores` });
  if (cores < 2) return unpinned('a single core');
  if (!taskset(['-c', '0', 'true']).ok) return unpinned('taskset not available; it is in util-linux');
  const serverCore = 0;
  const loadCore = 1;
  return {
    serverLauncher: ['taskset', '-c', String(serverCore)],
    pinSelf: () => {
      const pid = String(process.pid);
      // "pid 123's current affinity mask: 3": the mask to put back.
      const mask = /:\s*([0-9a-f]+)\s*$/i.exec(taskset(['-p', pid]).stdout)?.[1];
      if (!taskset(['-a', '-p', '-c', String(loadCore), pid]).ok) return () => undefined;
      return () => {
        if (mask) taskset(['-a', '-p', mask, pid]);
      };
    },
    note: `server pinned to core ${serverCore}, load generator (autocannon, in the benchmark's process) to core ${loadCore} (taskset)`,
  };
}
