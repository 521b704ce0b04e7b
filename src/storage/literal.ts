import { sql, type RawBuilder } from 'kysely';

/**
 * A constant written into the SQL text instead of bound. A partial index (`WHERE status <> 'resolved'`) serves a
 * query only when the planner sees the index's condition in it, and neither database sees through a bound
 * parameter. Only for constants of the code, never for input.
 */
export const literal = <T extends string>(value: T): RawBuilder<T> => sql.lit(value);
