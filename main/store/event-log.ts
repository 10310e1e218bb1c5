/**
 * `events.jsonl` of one run: append-only, one `TrainerEvent` per line. Appends are buffered and
 * written (and fsynced) at every `started`, `epoch` and terminal event, so a kill loses at most
 * the progress of the unfinished epoch. Reading skips a torn last line (a write cut short by a
 * kill) with a warning; an invalid line anywhere else is skipped too, with a warning naming the
 * file and line, so one damaged line costs that event, never the run or its experiment's report.
 */
import { open, readFile, stat, truncate } from 'node:fs/promises';
import { TrainerEvent, type TrainerEventKind } from '../api/events.js';
import { formatIssues } from '../api/config.js';
import { describeJsonError } from '../api/json-error.js';
import { hasCode } from './errors.js';

/** Events after which everything buffered is written and fsynced. */
const DURABLE_KINDS: ReadonlySet<TrainerEventKind> = new Set<TrainerEventKind>([
  'started',
  'epoch',
  'completed',
  'stopped',
  'diverged',
  'failed',
  'interrupted',
]);
/** A long epoch's progress and probe events are written without fsync past this many bytes. */
const MAX_BUFFER_BYTES = 1 << 20;

export type Warn = (message: string) => void;

export class EventLog {
  private buffer: string[] = [];
  private bufferBytes = 0;
  private tailChecked = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly warn: Warn,
  ) {}

  /** Buffers `events`; resolves once they are on disk when one of them must be durable. */
  append(events: readonly TrainerEvent[]): Promise<void> {
    for (const event of events) {
      const line = `${JSON.stringify(event)}\n`;
      this.buffer.push(line);
      this.bufferBytes += line.length;
    }
    const durable = events.some((e) => DURABLE_KINDS.has(e.kind));
    if (durable) return this.flush(true);
    if (this.bufferBytes > MAX_BUFFER_BYTES) return this.flush(false);
    return Promise.resolve();
  }

  /** Writes what is buffered, in order; with `sync`, fsyncs the file before resolving. */
  flush(sync: boolean): Promise<void> {
    const lines = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    const run = async () => {
      if (lines.length === 0 && !sync) return;
      await this.repairTail();
      const handle = await open(this.file, 'a');
      try {
        if (lines.length > 0) await handle.writeFile(lines.join(''));
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
    };
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => undefined);
    return next;
  }

  /**
   * Before the first append of this session: a file that does not end in a newline was cut short
   * mid-line (a kill during a write). The partial line is dropped so that new events do not turn
   * it into an invalid line in the middle of the file.
   */
  private async repairTail(): Promise<void> {
    if (this.tailChecked) return;
    const keep = await completeLinesLength(this.file);
    if (keep !== null) {
      const size = (await stat(this.file)).size;
      await truncate(this.file, keep);
      this.warn(
        `${this.file}: dropped a torn last line (${size - keep} bytes) left by an interrupted write`,
      );
    }
    this.tailChecked = true;
  }

  /** Flushes the buffer (without fsync) and reads every event, or only those of `kinds`. */
  async read(kinds?: readonly string[]): Promise<TrainerEvent[]> {
    await this.flush(false);
    return readEventsFile(this.file, this.warn, kinds);
  }
}

/** Parses an events.jsonl file; a missing file has no events. */
export async function readEventsFile(
  file: string,
  warn: Warn,
  kinds?: readonly string[],
): Promise<TrainerEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return [];
    throw error;
  }
  const wanted = kinds ? new Set(kinds) : null;
  const lines = text.split('\n');
  // A file that ends with a newline splits into a last empty string: not a line.
  if (lines.at(-1) === '') lines.pop();
  const events: TrainerEvent[] = [];
  for (const [i, line] of lines.entries()) {
    const isLast = i === lines.length - 1;
    const torn = isLast && !text.endsWith('\n');
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      if (torn) {
        warn(`${file}: skipped a torn last line ${i + 1} (the trainer was stopped mid-write)`);
        break;
      }
      warn(
        `${file}:${i + 1}: skipped a line that is not valid JSON (${describeJsonError(error, line)})`,
      );
      continue;
    }
    const kind = (json as { kind?: unknown } | null)?.kind;
    if (wanted && !(typeof kind === 'string' && wanted.has(kind))) continue;
    const parsed = TrainerEvent.safeParse(json);
    if (!parsed.success) {
      if (torn) {
        warn(`${file}: skipped a torn last line ${i + 1} (the trainer was stopped mid-write)`);
        break;
      }
      warn(
        `${file}:${i + 1}: skipped an invalid ${safeKind(kind)} event: ${formatIssues(parsed.error)}`,
      );
      continue;
    }
    events.push(parsed.data);
  }
  return events;
}

/** An event kind for a message: a short printable name, whatever the file held. */
function safeKind(kind: unknown): string {
  return typeof kind === 'string' && /^[a-z-]{1,20}$/.test(kind) ? kind : '(unknown kind)';
}

/**
 * Length in bytes of the file up to its last newline when it ends mid-line; null when it ends
 * with a newline, is empty or does not exist. Reads backwards from the end, never the whole file.
 */
async function completeLinesLength(file: string): Promise<number | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return null;
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) {
        const keep = start + newline + 1;
        return keep === size ? null : keep;
      }
      end = start;
    }
    return size === 0 ? null : 0;
  } finally {
    await handle.close();
  }
}
