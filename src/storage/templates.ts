import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Ctx, Dialect } from './ctx.ts';
import type { Database } from './schema.ts';

/**
 * A query built once per dialect and then only re-bound: for the ingest hot path, where building and compiling a
 * Kysely query per row costs more than SQLite takes to run it. The builder receives placeholder values; each
 * becomes a bound parameter in the compiled SQL, found again by identity and replaced with the call's arguments.
 * Everything else in the built query is fixed at first use, so the builder must not branch on its arguments.
 */
export interface QueryTemplate<A, R> {
  run(target: QueryTarget, args: A): Promise<QueryResult<R>>;
}

/** Where a query template runs: a database or an open transaction, and its dialect (a `Ctx` will do). */
export type QueryTarget = Pick<Ctx, 'db' | 'dialect'>;

const MARK = '\u0000siaga-arg:';

/**
 * Writes the builder's constant strings into the SQL as literals. A partial index (`WHERE status <> 'resolved'`)
 * can serve a query only when the planner sees that the query implies the index's condition, which it cannot
 * see through a bound parameter: with `status <> ?` SQLite scans the whole table.
 */
function inlineConstants(
  sqlText: string,
  slots: readonly ({ arg: string } | { value: unknown })[],
  dialect: Dialect,
): { sql: string; slots: ({ arg: string } | { value: unknown })[] } {
  const kept: ({ arg: string } | { value: unknown })[] = [];
  const literal = (i: number): string | undefined => {
    const slot = slots[i];
    return slot && 'value' in slot && typeof slot.value === 'string'
      ? `'${slot.value.replace(/'/g, "''")}'`
      : undefined;
  };
  let out = '';
  let inIdentifier = false;
  let next = 0;
  for (let i = 0; i < sqlText.length; i++) {
    const ch = sqlText[i]!;
    if (ch === '"') inIdentifier = !inIdentifier;
    if (inIdentifier) {
      out += ch;
      continue;
    }
    let index: number | undefined;
    if (dialect === 'sqlite' && ch === '?') index = next++;
    else if (dialect === 'postgres' && ch === '$' && /[0-9]/.test(sqlText[i + 1] ?? '')) {
      const digits = /^[0-9]+/.exec(sqlText.slice(i + 1))![0];
      index = Number(digits) - 1;
      i += digits.length;
    }
    if (index === undefined) {
      out += ch;
      continue;
    }
    const lit = literal(index);
    if (lit !== undefined) out += lit;
    else {
      kept.push(slots[index]!);
      out += dialect === 'sqlite' ? '?' : `$${kept.length}`;
    }
  }
  return { sql: out, slots: kept };
}

interface Compiled {
  readonly sql: string;
  readonly query: CompiledQuery['query'];
  /** For each bound parameter: the argument name, or the constant to bind. */
  readonly slots: readonly ({ arg: string } | { value: unknown })[];
}

export function queryTemplate<A extends object, R>(
  build: (db: Kysely<Database>, args: A) => { compile(): CompiledQuery<R> },
  /** For builders that spread the arguments (an insert's `values(args)`): the argument names to enumerate. */
  keys?: readonly (keyof A & string)[],
): QueryTemplate<A, R> {
  const compiled = new Map<Dialect, Compiled>();
  const placeholders = keys
    ? (Object.fromEntries(keys.map((k) => [k, `${MARK}${k}`])) as A)
    : new Proxy({} as A, { get: (_t, name) => `${MARK}${String(name)}` });
  return {
    async run(ctx, args) {
      let c = compiled.get(ctx.dialect);
      if (!c) {
        const q = build(ctx.db, placeholders).compile();
        const slots = q.parameters.map((p) =>
          typeof p === 'string' && p.startsWith(MARK) ? { arg: p.slice(MARK.length) } : { value: p },
        );
        c = { ...inlineConstants(q.sql, slots, ctx.dialect), query: q.query };
        compiled.set(ctx.dialect, c);
      }
      const parameters = c.slots.map((s) =>
        'arg' in s ? (args as Record<string, unknown>)[s.arg] : s.value,
      );
      return ctx.db.executeQuery<R>({
        sql: c.sql,
        query: c.query,
        parameters,
        queryId: { queryId: 'template' },
      });
    },
  };
}
