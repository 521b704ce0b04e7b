import type { Kysely } from 'kysely';
import { columnName, type SecretColumn } from './columns.ts';
import type { Keyring } from './keyring.ts';

export interface ColumnInventory {
  readonly table: string;
  readonly column: string;
  /** Key id → how many values are sealed with it. */
  readonly byKey: Readonly<Record<string, number>>;
  /** Non-null values that are not sealed values at all (never expected; possibly plaintext). */
  readonly unrecognised: number;
}

// `v1.` and an 8-hex-digit key id: enough to count by key without reading (or showing) the rest of any value.
const PREFIX_LENGTH = 11;
const SEALED_PREFIX = /^v1\.([0-9a-f]{8})$/;

/** How many values of each column are sealed with which key, counted in the database. */
export async function countSealedByKey(
  db: Kysely<any>,
  columns: readonly SecretColumn[],
): Promise<ColumnInventory[]> {
  const out: ColumnInventory[] = [];
  for (const col of columns) {
    // Literal arguments, so the grouped expression is textually the selected one on PostgreSQL.
    const rows = (await db
      .selectFrom(col.table)
      .select((eb) => [
        eb.fn('substr', [eb.ref(col.column), eb.lit(1), eb.lit(PREFIX_LENGTH)]).as('key_prefix'),
        eb.fn.countAll().as('n'),
      ])
      .where(col.column, 'is not', null)
      .groupBy((eb) => eb.fn('substr', [eb.ref(col.column), eb.lit(1), eb.lit(PREFIX_LENGTH)]))
      .execute()) as { key_prefix: string; n: number | string | bigint }[];
    const byKey: Record<string, number> = {};
    let unrecognised = 0;
    for (const r of rows) {
      const id = SEALED_PREFIX.exec(String(r.key_prefix))?.[1];
      if (id === undefined) unrecognised += Number(r.n);
      else byKey[id] = (byKey[id] ?? 0) + Number(r.n);
    }
    out.push({ table: col.table, column: col.column, byKey, unrecognised });
  }
  return out;
}

/**
 * A column's counts per key id, in key id order. Not `Object.entries(byKey)`: an object lists all-digit property
 * names first, in numeric order, so a key id such as `60605937` would come before `5f613520`.
 */
export const countsByKey = (c: ColumnInventory): [string, number][] =>
  Object.entries(c.byKey).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Values sealed with a key other than the primary, over all columns. */
export const countNotPrimary = (inventory: readonly ColumnInventory[], keyring: Keyring): number =>
  inventory.reduce(
    (sum, c) =>
      sum +
      c.unrecognised +
      Object.entries(c.byKey).reduce((s, [id, n]) => s + (id === keyring.primary.id ? 0 : n), 0),
    0,
  );

/**
 * One line per problem the keyring cannot handle: values sealed with keys it does not hold (lost or forgotten
 * keys: those secrets cannot be read) and values that are not sealed at all. The server logs these at start.
 */
export function keyringProblems(inventory: readonly ColumnInventory[], keyring: Keyring): string[] {
  const problems: string[] = [];
  for (const c of inventory) {
    for (const [id, n] of countsByKey(c)) {
      if (keyring.find(id) === undefined) {
        problems.push(
          `${n} value(s) of ${columnName(c)} are sealed with key ${id}, which is not in the keyring; they cannot be read until that key is added back`,
        );
      }
    }
    if (c.unrecognised > 0) {
      problems.push(`${c.unrecognised} value(s) of ${columnName(c)} are not sealed values`);
    }
  }
  return problems;
}
