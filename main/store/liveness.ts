/**
 * Is the process recorded in a run still its trainer (or, for a queued run, its lab)? A pid is
 * only a number: after a crash or reboot it may belong to something else. On Linux the process's
 * start time tells: a process that started after run.json was last written cannot be the one
 * recorded there. Elsewhere only "a process with this pid exists and is ours to signal" is checked.
 */
import { readFileSync } from 'node:fs';

/** Clock granularity of /proc (btime is whole seconds) plus scheduling slack. */
const SLACK_MS = 5_000;
/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every mainstream Linux architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Start time of `pid` in epoch ms from /proc, or null when it cannot be read (not Linux). */
export function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]); // field 22, starttime, in ticks since boot
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!btime || !Number.isFinite(startTicks)) return null;
    return Number(btime[1]) * 1000 + (startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}

/**
 * True when `pid` exists, may be signalled by us, and (where knowable) started no later than
 * `recordWrittenMs`, the last write of the run.json that names it.
 */
export function isRecordedProcessAlive(pid: number, recordWrittenMs: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: another user's process, so not a trainer of ours.
    return false;
  }
  const started = processStartMs(pid);
  return started === null || started <= recordWrittenMs + SLACK_MS;
}
