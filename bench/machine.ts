/** The machine a benchmark ran on, as printed and written beside its figures. */
import { cpus, loadavg, platform, release } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  date: string;
  load: string;
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown CPU',
    cores: cores.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(' / '),
  };
}

export function machineLine(machine: Machine): string {
  return (
    `Machine: ${machine.cpu}, ${machine.cores} core(s), ${machine.os}, Node ${machine.node}; ` +
    `load average at start ${machine.load} (1/5/15 min). Measured ${machine.date}.`
  );
}
