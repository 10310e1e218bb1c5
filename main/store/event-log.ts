/**
 * `events.jsonl` of one run: append-only, one `TrainerEvent` per line. Appends are buffered and
 * written (and fsynced) at every `started`, `epoch` and terminal event, so a kill loses at most
 * the progress of the unfinished epoch. Reading skips a torn last line (a write cut short by a
 * kill) with a warning; an invalid line anywhere else is an error naming the file and line.
 */
import { open, readFile, truncate } from 'node:fs/promises';
import { TrainerEvent, type TrainerEventKind } from '../api/events.js';
import { formatIssues } from '../api/config.js';
import { StoreError, hasCode } from './errors.js';

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
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (hasCode(error, 'ENOENT')) {
        this.tailChecked = true;
        return;
      }
      throw error;
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      const keep = text.lastIndexOf('\n') + 1;
      await truncate(this.file, Buffer.byteLength(text.slice(0, keep)));
      this.warn(
        `${this.file}: dropped a torn last line (${text.length - keep} characters) left by an interrupted write`,
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
      throw new StoreError(
        'internal',
        `${file}:${i + 1}: not valid JSON (${(error as Error).message})`,
      );
    }
    const kind = (json as { kind?: unknown } | null)?.kind;
    if (wanted && !(typeof kind === 'string' && wanted.has(kind))) continue;
    const parsed = TrainerEvent.safeParse(json);
    if (!parsed.success) {
      if (torn) {
        warn(`${file}: skipped a torn last line ${i + 1} (the trainer was stopped mid-write)`);
        break;
      }
      throw new StoreError(
        'internal',
        `${file}:${i + 1}: invalid ${String(kind)} event: ${formatIssues(parsed.error)}`,
      );
    }
    events.push(parsed.data);
  }
  return events;
}
