/**
 * First-in, first-out run queue with a fixed number of slots (`--parallel N`, default 1).
 * A job is started when a slot frees; a queued job can be cancelled before it starts.
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

  constructor(private slots: number) {
    if (!Number.isInteger(slots) || slots < 1)
      throw new Error(`parallel must be ≥ 1, got ${slots}`);
  }

  get parallel(): number {
    return this.slots;
  }

  /** Changes the number of slots; more slots start waiting jobs at once, fewer let running ones end. */
  resize(slots: number): void {
    if (!Number.isInteger(slots) || slots < 1)
      throw new Error(`parallel must be ≥ 1, got ${slots}`);
    this.slots = slots;
    this.pump();
  }

  /** Adds a job at the end; it starts as soon as a slot is free. */
  enqueue(job: QueueJob): void {
    if (this.closed) throw new Error('the run queue is closed');
    if (this.has(job.id)) return;
    this.waiting.push(job);
    this.pump();
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

  private pump(): void {
    while (this.active.size < this.slots && this.waiting.length > 0) {
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
