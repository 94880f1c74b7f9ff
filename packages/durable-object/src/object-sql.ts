import type { ObjectSql, SqlValue } from './types.js'

type SqlArgs = SqlValue[] | [SqlValue[]]

/**
 * `ctx.sql`: the native SqlStorage with parameters as an array or one after another, and
 * `undefined` bound as NULL (JSON.stringify(undefined) is undefined, a common optional value).
 *
 * @example
 * ctx.sql.run('INSERT INTO events (name, at) VALUES (?, ?)', [name, Date.now()])
 * ctx.sql.one<{ n: number }>('SELECT count(*) AS n FROM events')?.n
 */
export function createObjectSql(sql: SqlStorage): ObjectSql {
  const exec = <T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlArgs) =>
    sql.exec<T>(query, ...normalizeParams(params))
  return Object.freeze({
    run(query: string, ...params: SqlArgs) {
      const cursor = exec(query, ...params)
      // Drain the cursor: a statement that returns rows runs step by step as it is read.
      while (!cursor.next().done);
      return { rowsWritten: cursor.rowsWritten }
    },
    exec,
    one<T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlArgs): T | null {
      const first = exec<T>(query, ...params).next()
      return first.done ? null : first.value
    },
    native: sql,
  })
}

function normalizeParams(params: SqlArgs): SqlValue[] {
  const list = params.length === 1 && Array.isArray(params[0]) ? params[0] : (params as SqlValue[])
  return list.map((value) => (value === undefined ? null : value))
}
