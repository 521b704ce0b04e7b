import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteAdapter,
  ValueNode,
  type LimitNode,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * Kysely over Node's built-in `node:sqlite` (no native addon to compile).
 *
 * Kysely ships a driver for better-sqlite3's shape only; this one differs where it matters to us:
 * write transactions start with BEGIN IMMEDIATE (take the write lock up front, so two processes on one file
 * wait on busy_timeout instead of failing half-way with SQLITE_BUSY on lock upgrade), migrations run inside a
 * transaction (SQLite has transactional DDL), booleans bind as 0/1 (node:sqlite refuses them), and prepared
 * statements are cached because preparing dominates the cost of small queries.
 */
export interface NodeSqliteOptions {
  readonly file: string;
  readonly busyTimeoutMs?: number;
  /** Called once the connection is open, before any query (pragmas are already set). */
  readonly onOpen?: (db: DatabaseSync) => void;
}

export class NodeSqliteDialect implements Dialect {
  readonly #options: NodeSqliteOptions;
  constructor(options: NodeSqliteOptions) {
    this.#options = options;
  }

  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter();
  }
  createDriver(): Driver {
    return new NodeSqliteDriver(this.#options);
  }
  createQueryCompiler(): QueryCompiler {
    return new LiteralLimitCompiler();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * Writes a whole-number LIMIT into the SQL instead of binding it. With `ORDER BY … LIMIT ?` SQLite cannot know the
 * limit when it plans, and sorts through its general sorter (set up and torn down on every run); with a literal
 * it keeps the first rows in a small ordered table. Measured on the dispatcher's due read, which mostly finds
 * nothing: 48 µs with `LIMIT ?`, 4.4 µs with `LIMIT 100` (same plan otherwise). A limit taken from a request
 * makes one cached statement per value; list endpoints cap their limits, so the cache stays bounded.
 */
class LiteralLimitCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit;
    if (ValueNode.is(limit) && Number.isSafeInteger(limit.value) && (limit.value as number) >= 0)
      this.append(`limit ${limit.value as number}`);
    else super.visitLimit(node);
  }
}

class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Opens a node:sqlite database with the pragmas every Siaga connection uses. */
export function openSqlite(file: string, busyTimeoutMs = 5000): DatabaseSync {
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: busyTimeoutMs });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`);
  // A checkpoint runs inside the commit that crosses this many WAL pages and holds the event loop while it copies
  // them: 200 pages (SQLite's default is 1,000) make each stall a fifth as long. Measured on the e2e benchmark at
  // 200 alerts/s, alternating runs: p95 5.1–5.8 ms against 7.8–8.8, p99 11.9–13.7 against 14.0–17.4, for about 5 %
  // more CPU per alert; ingest unchanged. Larger was worse (8,000 pages: p99 28–31 ms).
  db.exec('PRAGMA wal_autocheckpoint = 200');
  return db;
}

class NodeSqliteDriver implements Driver {
  readonly #options: NodeSqliteOptions;
  #connection: NodeSqliteConnection | undefined;

  constructor(options: NodeSqliteOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const db = openSqlite(this.#options.file, this.#options.busyTimeoutMs);
    this.#options.onOpen?.(db);
    this.#connection = new NodeSqliteConnection(db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely serializes access with its connection mutex (the adapter reports one connection).
    if (!this.#connection) throw new Error('SQLite database is closed');
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.#connection?.close();
    this.#connection = undefined;
  }
}

const STATEMENT_CACHE_SIZE = 512;

const bind = (params: readonly unknown[]): SQLInputValue[] =>
  params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : (p as SQLInputValue)));

class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, { stmt: StatementSync; reader: boolean }>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  close(): void {
    this.#cache.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  #prepare(sqlText: string): { stmt: StatementSync; reader: boolean } {
    // A hit is one lookup. Keeping true LRU order moved every hit to the back (a delete and an insert, whose holes
    // the Map keeps compacting): 2 % of the server's time in the e2e benchmark. Eviction is first-in, first-out;
    // the cache holds more distinct statements than the application has.
    const hit = this.#cache.get(sqlText);
    if (hit) return hit;
    const stmt = this.#db.prepare(sqlText);
    const entry = { stmt, reader: stmt.columns().length > 0 };
    this.#cache.set(sqlText, entry);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return entry;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { stmt, reader } = this.#prepare(compiledQuery.sql);
    const params = bind(compiledQuery.parameters);
    if (reader) return { rows: stmt.all(...params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(...params);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { stmt } = this.#prepare(compiledQuery.sql);
    for (const row of stmt.iterate(...bind(compiledQuery.parameters))) yield { rows: [row as R] };
  }
}
