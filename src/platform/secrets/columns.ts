/**
 * A column that holds sealed secrets. Every module that stores a secret registers its columns once, so that
 * `siaga secrets rotate` and `siaga secrets status` reach every sealed value.
 */
export interface SecretColumn {
  readonly table: string;
  /** A unique text column (the primary key) used to page through the table and to bind each value to its row. */
  readonly idColumn: string;
  readonly column: string;
  /** The additional authenticated data for the value in row `rowId`; seal and open with exactly this. */
  aad(rowId: string): string;
}

/** A secret column whose values are bound to `<table>.<column>:<row id>`. */
export function secretColumn(table: string, column: string, idColumn = 'id'): SecretColumn {
  return { table, idColumn, column, aad: (rowId) => `${table}.${column}:${rowId}` };
}

const registry: SecretColumn[] = [];

/** Adds columns to the registry; registering the same column again is a no-op, a conflicting definition a bug. */
export function registerSecretColumns(...columns: readonly SecretColumn[]): void {
  for (const c of columns) {
    const known = registry.find((r) => r.table === c.table && r.column === c.column);
    if (known === undefined) registry.push(c);
    else if (known.idColumn !== c.idColumn || known.aad('x') !== c.aad('x')) {
      throw new Error(`secret column ${c.table}.${c.column} is registered twice with different definitions`);
    }
  }
}

/** Every registered secret column, in registration order. */
export function secretColumns(): readonly SecretColumn[] {
  return [...registry];
}

export const columnName = (c: { readonly table: string; readonly column: string }): string =>
  `${c.table}.${c.column}`;
