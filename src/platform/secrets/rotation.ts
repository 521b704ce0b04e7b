import type { Kysely } from 'kysely';
import { columnName, type SecretColumn } from './columns.ts';
import { SecretsError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import { createSecretBox, sealedPrefix } from './secret-box.ts';

export interface ColumnRotation {
  readonly table: string;
  readonly column: string;
  readonly resealed: number;
  /** Values still not sealed with the primary key afterwards: changed by someone else meanwhile; run again. */
  readonly remaining: number;
}

export interface RotateOptions {
  /** Rows per transaction. */
  readonly batchSize?: number;
}

const DEFAULT_BATCH = 200;

/**
 * Re-seals, under the keyring's primary key, every value of `columns` sealed with another key. Rows go in
 * batches of `batchSize`, one transaction each, so a failure (a value sealed with a key that is not in the
 * keyring, a tampered value) rolls back only its batch, and batches already done stay done: running it again
 * resumes, and once everything is under the primary key it re-seals nothing.
 */
export async function rotateSecrets(
  db: Kysely<any>,
  keyring: Keyring,
  columns: readonly SecretColumn[],
  options: RotateOptions = {},
): Promise<ColumnRotation[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const box = createSecretBox(keyring);
  const report: ColumnRotation[] = [];
  for (const col of columns) {
    const primary = sealedPrefix(keyring.primary.id);
    let after: string | undefined;
    let resealed = 0;
    for (;;) {
      let batch: { count: number; last: string | undefined; resealed: number };
      try {
        batch = await db.transaction().execute(async (trx) => {
          let query = trx
            .selectFrom(col.table)
            .select((eb) => [eb.ref(col.idColumn).as('id'), eb.ref(col.column).as('value')])
            .where(col.column, 'is not', null)
            .where(col.column, 'not like', `${primary}%`)
            .orderBy(col.idColumn)
            .limit(batchSize);
          if (after !== undefined) query = query.where(col.idColumn, '>', after);
          const rows = (await query.execute()) as { id: string; value: string }[];
          let updated = 0;
          for (const row of rows) {
            const id = String(row.id);
            const aad = col.aad(id);
            const next = box.seal(box.open(row.value, aad), aad);
            // Only if nobody changed the value since it was read; a value changed meanwhile is left as it is.
            const result = await trx
              .updateTable(col.table)
              .set({ [col.column]: next })
              .where(col.idColumn, '=', id)
              .where(col.column, '=', row.value)
              .executeTakeFirst();
            updated += Number(result.numUpdatedRows);
          }
          return {
            count: rows.length,
            last: rows.length > 0 ? String(rows.at(-1)!.id) : undefined,
            resealed: updated,
          };
        });
      } catch (err) {
        if (!(err instanceof SecretsError)) throw err;
        throw new SecretsError(
          `re-sealing ${columnName(col)} stopped (${resealed} values re-sealed before, kept): ${err.message}`,
          { cause: err },
        );
      }
      resealed += batch.resealed;
      if (batch.count < batchSize) break;
      after = batch.last;
    }
    report.push({
      table: col.table,
      column: col.column,
      resealed,
      remaining: await countNotPrimary(db, col, primary),
    });
  }
  return report;
}

async function countNotPrimary(db: Kysely<any>, col: SecretColumn, primaryPrefix: string): Promise<number> {
  const row = await db
    .selectFrom(col.table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where(col.column, 'is not', null)
    .where(col.column, 'not like', `${primaryPrefix}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
