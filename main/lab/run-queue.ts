/**
 * First-in, first-out run queue with a number of slots (`--parallel N`, the app's setting), which
 * may change while jobs run: more slots start waiting jobs at once, fewer let running jobs finish.
 * A job is started when a slot frees; a queued job can be cancelled before it starts.
 *
 * The tail: when every waiting job can start now without more than `tail` running, they all start
 * (e.g. 3 runs on 2 cores run side by side instead of leaving a core idle for the third). With
 * `tail` = `slots` (the default) the queue never runs more than `slots` jobs.
 */
export interface QueueJob {
  readonly id: string;
  /** Starts the job; resolves when it has finished, whatever its outcome. */
  run(): Promise<void>;
  /** Called instead of `run` when the job was cancelled while queued. */
  cancelled(): void;
}

export class RunQueue {
  private readonly waiting: QueueJob[] = [];
  private readonly active = new Set<string>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  private tailQueued = false;

  private tail: number;

  constructor(
    private slots: number,
    tail = slots,
  ) {
    checkSlots(slots, tail);
    this.tail = tail;
  }

  get parallel(): number {
    return this.slots;
  }

  /** The most jobs at once when the waiting ones are the last (≥ parallel). */
  get tailParallel(): number {
    return this.tail;
  }

  /** Changes the number of slots; running jobs are never stopped to honour a smaller number. */
  setParallel(slots: number, tail = slots): void {
    checkSlots(slots, tail);
    this.slots = slots;
    this.tail = tail;
    this.pump();
  }

  /**
   * Adds a job at the end; it starts at once when a slot is free. The tail is applied a tick
   * later, so that it sees every job enqueued in the same tick (an experiment's runs).
   */
  enqueue(job: QueueJob): void {
    if (this.closed) throw new Error('the run queue is closed');
    if (this.has(job.id)) return;
    this.waiting.push(job);
    this.pump(false);
    if (this.tailQueued || this.tail === this.slots) return;
    this.tailQueued = true;
    queueMicrotask(() => {
      this.tailQueued = false;
      this.pump();
    });
  }

  has(id: string): boolean {
    return this.active.has(id) || this.waiting.some((j) => j.id === id);
  }

  /** Ids of the running and waiting jobs. */
  ids(): string[] {
    return [...this.active, ...this.waiting.map((j) => j.id)];
  }

  isQueued(id: string): boolean {
    return this.waiting.some((j) => j.id === id);
  }

  /** Removes a job that has not started; false when it is running or unknown. */
  cancel(id: string): boolean {
    const index = this.waiting.findIndex((j) => j.id === id);
    if (index < 0) return false;
    const [job] = this.waiting.splice(index, 1);
    job?.cancelled();
    // Fewer waiting may now fit the tail.
    this.pump();
    this.notifyIdle();
    return true;
  }

  /** Cancels every waiting job and refuses new ones; running jobs are left to their owner. */
  close(): void {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.cancelled();
    this.notifyIdle();
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.active.size === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts waiting jobs while a slot is free, or (withTail) while all of them fit the tail. */
  private pump(withTail = true): void {
    while (
      this.waiting.length > 0 &&
      (this.active.size < this.slots ||
        (withTail && this.active.size + this.waiting.length <= this.tail))
    ) {
      const job = this.waiting.shift();
      if (!job) break;
      this.active.add(job.id);
      void job
        .run()
        .catch(() => undefined)
        .finally(() => {
          this.active.delete(job.id);
          this.pump();
          this.notifyIdle();
        });
    }
  }

  private notifyIdle(): void {
    if (this.active.size > 0 || this.waiting.length > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function checkSlots(slots: number, tail: number): void {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`parallel must be ≥ 1, got ${slots}`);
  if (!Number.isInteger(tail) || tail < slots)
    throw new Error(
      `the tail's runs at once must be an integer ≥ parallel (${slots}), got ${tail}`,
    );
}
