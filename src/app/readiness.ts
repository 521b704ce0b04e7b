import type { Readiness } from '../http/routes/system.schemas.ts';
import { migrationStatus, type Storage } from '../storage/index.ts';

const CHECK_TIMEOUT_MS = 2000;

/** Readiness = the database answers within 2 s and every migration this version knows is applied. */
export async function checkReadiness(storage: Storage): Promise<Readiness> {
  const database = await timed(storage.ping());
  let migrations: Readiness['checks']['migrations'] = { status: 'fail', detail: 'database unreachable' };
  if (database.status === 'ok') {
    const status = await timed(migrationStatus(storage.db, storage.dialect));
    migrations =
      status.status === 'fail'
        ? status
        : status.value.unknown.length > 0
          ? {
              status: 'fail',
              detail: `the database was migrated by a newer Siaga (${status.value.unknown.join(', ')})`,
            }
          : status.value.pending.length === 0
            ? { status: 'ok' }
            : { status: 'fail', detail: `pending migrations: ${status.value.pending.join(', ')}` };
  }
  const ready = database.status === 'ok' && migrations.status === 'ok';
  return { status: ready ? 'ready' : 'not_ready', checks: { database: stripValue(database), migrations } };
}

type Timed<T> = { status: 'ok'; value: T } | { status: 'fail'; detail: string };

async function timed<T>(p: Promise<T>): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'fail', detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      p
        .then((value): Timed<T> => ({ status: 'ok', value }))
        .catch((err: unknown): Timed<T> => ({ status: 'fail', detail: (err as Error).message })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function stripValue<T>(t: Timed<T>): Readiness['checks']['database'] {
  return t.status === 'ok' ? { status: 'ok' } : t;
}
