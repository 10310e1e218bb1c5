/**
 * How many runs train side by side. Runs are independent processes, so running several at once
 * keeps every run's result exact (unlike splitting one run's batch, which would change BN's batch
 * statistics); each trainer uses one core, so more runs than physical cores only time-share.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import type { Architecture } from '../api/config.js';

/**
 * Peak resident set of one trainer process per architecture, in MB: `npm run bench` at full width,
 * batch 64, the larger of the rows without and with BN, probe pass included (the wasm heap never
 * shrinks, so the probe's peak stays); README § Benchmarks. bn-simple's BN-after run measured
 * 593 MB (`npm run bench -- --experiment bn-simple`). Larger batches or probe sets grow it.
 */
export const PEAK_RSS_MB: Readonly<Record<Architecture, number>> = {
  'simple-cnn': 600,
  'deeper-cnn': 860,
  resnet20: 890,
};

/** The largest peak RSS of the given architectures (of all of them when none are given). */
export function peakRssMb(architectures: readonly Architecture[] = []): number {
  const list =
    architectures.length > 0 ? architectures : (Object.keys(PEAK_RSS_MB) as Architecture[]);
  return Math.max(...list.map((a) => PEAK_RSS_MB[a]));
}

export interface ParallelismInput {
  /** An explicit choice (`--parallel`, BNLAB_PARALLEL) and where it came from. */
  override?: { value: number; from: string };
  physicalCores: number;
  /** Memory the OS can still hand out (Linux: MemAvailable, capped by a cgroup limit). */
  freeMemoryMb: number;
  /** Peak RSS of one run (the largest model that may run). */
  peakRssMb: number;
}

export interface ParallelismDecision {
  parallel: number;
  /**
   * Runs at once when the waiting runs are the queue's last ones and all of them can start now
   * (≥ `parallel`): the last round of a queue then time-shares the cores instead of leaving some
   * idle. 3 equal runs on 2 cores take 1.5 run-times instead of 2. Equal to `parallel` when set
   * by hand or bound by memory.
   */
  tail: number;
  /** One sentence for the CLI and the status bar: why this many. */
  reason: string;
}

const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GB`;
const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;

/**
 * Runs at once: an override wins; otherwise one per physical core, but no more than free memory
 * holds at each run's peak RSS, and never fewer than one. Without an override, the queue's last
 * runs may share cores (`tail`) so that the end of a queue keeps every core busy.
 */
export function decideParallelism(input: ParallelismInput): ParallelismDecision {
  const { override, physicalCores, freeMemoryMb, peakRssMb: peak } = input;
  if (override !== undefined) {
    if (!Number.isInteger(override.value) || override.value < 1)
      throw new Error(`${override.from} must be a positive integer, got ${override.value}`);
    return { parallel: override.value, tail: override.value, reason: `set by ${override.from}` };
  }
  const cores = Math.max(1, Math.floor(physicalCores));
  const fit = Math.floor(freeMemoryMb / peak);
  const memory = `${gb(freeMemoryMb)} free memory holds ${runs(Math.max(0, fit))} at up to ${peak} MB each`;
  if (fit < 1) return { parallel: 1, tail: 1, reason: `one at a time: ${memory}` };
  if (fit < cores)
    return {
      parallel: fit,
      tail: fit,
      reason: `memory-bound: ${memory} (${cores} physical cores)`,
    };
  // The tail: fewer than 2 runs per core, so a core time-shares at most two runs.
  const tail = Math.min(fit, 2 * cores - 1);
  const tailReason =
    tail > cores
      ? `, up to ${tail} when they are the queue's last runs so that no core idles at the end`
      : '';
  return {
    parallel: cores,
    tail,
    reason: `one per physical core (${cores})${tailReason}; ${memory}`,
  };
}

/**
 * Physical cores this process may use: Linux counts distinct (physical id, core id) pairs in
 * /proc/cpuinfo, so SMT siblings count once, bounded by the CPUs it may run on and by a cgroup
 * CPU quota; elsewhere Node's logical CPU count (no portable physical count).
 */
export function physicalCores(): number {
  const logical = availableParallelism();
  let cores = logical;
  try {
    const pairs = new Set<string>();
    let physical = '0';
    for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
      const [key = '', value = ''] = line.split(':').map((s) => s.trim());
      if (key === 'physical id') physical = value;
      if (key === 'core id') pairs.add(`${physical}/${value}`);
    }
    if (pairs.size > 0) cores = Math.min(cores, pairs.size);
  } catch {
    // Not Linux: keep the logical count.
  }
  const quota = cgroupCpuQuota();
  return Math.max(1, quota === null ? cores : Math.min(cores, quota));
}

/** A cgroup v2 CPU quota in whole CPUs (rounded up), or null when unlimited or unknown. */
function cgroupCpuQuota(): number | null {
  const file = '/sys/fs/cgroup/cpu.max';
  if (!existsSync(file)) return null;
  const [quota = 'max', period = '100000'] = readFileSync(file, 'utf8').trim().split(/\s+/);
  if (quota === 'max') return null;
  const cpus = Math.ceil(Number(quota) / Number(period));
  return Number.isFinite(cpus) && cpus > 0 ? cpus : null;
}

/** Free memory in MB: the OS's available memory, capped by a cgroup memory limit if one is set. */
export function freeMemoryMb(): number {
  const limit = process.constrainedMemory();
  const free = freemem();
  // constrainedMemory() is 0 or a huge number (2^64 − 1 rounded) when there is no limit.
  const capped = limit > 0 && limit < 2 ** 50 ? Math.min(free, limit) : free;
  return capped / 2 ** 20;
}

/** BNLAB_PARALLEL as an override, if set (the app's setting; also read by the CLI). */
export function parallelSetting(
  env: NodeJS.ProcessEnv = process.env,
): ParallelismInput['override'] {
  const raw = env.BNLAB_PARALLEL;
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'auto') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`BNLAB_PARALLEL must be a positive integer or "auto", got "${raw}"`);
  return { value, from: 'BNLAB_PARALLEL' };
}

/** The decision on this machine: `parallel` (e.g. `--parallel`) first, then BNLAB_PARALLEL. */
export function machineParallelism(
  parallel?: number,
  architectures: readonly Architecture[] = [],
): ParallelismDecision {
  const override =
    parallel !== undefined ? { value: parallel, from: '--parallel' } : parallelSetting();
  return decideParallelism({
    ...(override ? { override } : {}),
    physicalCores: physicalCores(),
    freeMemoryMb: freeMemoryMb(),
    peakRssMb: peakRssMb(architectures),
  });
}
