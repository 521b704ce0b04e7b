import { inTx, type Ctx } from './ctx.ts';

export interface GroupCommitOptions<I, R> {
  /** One item's work, inside the shared transaction; `tx` acts as the caller who submitted the item. */
  apply(tx: Ctx, item: I): Promise<R>;
  /** How much an item weighs against `maxWeight` (default 1). */
  readonly weight?: (item: I) => number;
  /** Most weight one transaction takes (default 500); an item heavier than that goes alone. */
  readonly maxWeight?: number;
}

interface Pending<I, R> {
  readonly ctx: Ctx;
  readonly item: I;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit. Work submitted while a transaction runs queues up, and the next transaction takes it all: one
 * commit pays for many callers, and nobody waits on a timer. Each caller's promise settles only after the
 * commit that holds its work. If a shared transaction fails, its items run again one by one, so one bad item
 * cannot fail the others. One queue per database handle; a caller already inside a transaction joins it.
 *
 * Worth it where many small transactions arrive together on one writer (SQLite's single connection): ingest
 * requests, the outcomes of notifications sent side by side.
 */
export function groupCommit<I, R>(opts: GroupCommitOptions<I, R>): (ctx: Ctx, item: I) => Promise<R> {
  const queues = new WeakMap<object, Queue<I, R>>();
  return (ctx, item) => {
    if (ctx.tx) return opts.apply(ctx, item);
    let q = queues.get(ctx.db);
    if (!q) {
      q = new Queue(opts);
      queues.set(ctx.db, q);
    }
    return q.submit(ctx, item);
  };
}

class Queue<I, R> {
  readonly #opts: GroupCommitOptions<I, R>;
  #pending: Pending<I, R>[] = [];
  #running = false;

  constructor(opts: GroupCommitOptions<I, R>) {
    this.#opts = opts;
  }

  submit(ctx: Ctx, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ ctx, item, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      // After the current I/O phase, not at once: work whose events arrived together joins one commit.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#takeBatch();
        try {
          const results = await inTx(batch[0]!.ctx, async (tx) => {
            const out: R[] = [];
            for (const p of batch) out.push(await this.#opts.apply(actingAs(tx, p.ctx), p.item));
            return out;
          });
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const p of batch) await this.#runAlone(p);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #runAlone(p: Pending<I, R>): Promise<void> {
    try {
      p.resolve(await inTx(p.ctx, (tx) => this.#opts.apply(tx, p.item)));
    } catch (err) {
      p.reject(err);
    }
  }

  #takeBatch(): Pending<I, R>[] {
    const max = this.#opts.maxWeight ?? 500;
    const weigh = this.#opts.weight ?? (() => 1);
    let total = 0;
    let n = 0;
    while (n < this.#pending.length && (n === 0 || total + weigh(this.#pending[n]!.item) <= max)) {
      total += weigh(this.#pending[n]!.item);
      n++;
    }
    return this.#pending.splice(0, n);
  }
}

/** The shared transaction, acting as the caller who submitted the item (audit and timeline name them). */
function actingAs(tx: Ctx, callerCtx: Ctx): Ctx {
  const { origin: _unused, ...rest } = tx;
  return callerCtx.origin
    ? { ...rest, actor: callerCtx.actor, origin: callerCtx.origin }
    : { ...rest, actor: callerCtx.actor };
}
