import type { Logger } from 'pino';
import type pg from 'pg';

/** The PostgreSQL channel on which a commit that enqueued due work wakes the runners of every node. */
export const WAKE_CHANNEL = 'siaga_jobs';

export interface WakeListener {
  close(): Promise<void>;
}

/**
 * Keeps one LISTEN connection open and calls `onWake` on every notification. A lost connection is re-opened
 * with backoff; while it is down, runners still find work through their poll timer, only later.
 */
export function listenForWakeups(url: string, onWake: () => void, log: Logger): WakeListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const { createPgClient } = await import('../storage/dialects/postgres.ts');
    if (closed) return;
    const c = createPgClient(url);
    client = c;
    c.on('notification', () => onWake());
    c.on('error', (err) => {
      log.warn({ err }, 'job wake-up connection lost; reconnecting');
      scheduleReconnect(c);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${WAKE_CHANNEL}`);
      retryMs = 250;
      onWake(); // anything enqueued while we were not listening
    } catch (err) {
      log.warn({ err }, 'cannot listen for job wake-ups; retrying');
      scheduleReconnect(c);
    }
  };

  const scheduleReconnect = (c: pg.Client): void => {
    if (closed || client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    timer = setTimeout(() => void connect(), retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, 10_000);
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
