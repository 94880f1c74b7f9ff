import { Miniflare } from 'miniflare'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { COMPATIBILITY_DATE, readConfig } from '../wrangler/config.js'
import { UserError } from '../util/errors.js'
import { OBJECTS_DIR } from './local-state.js'
import { devWorkerName, storedObjectsFolder } from './worker-name.js'

export interface StoredSchedules {
  pending: Array<{ key: string; due: number; method: string; args: string; kind: string; spec: string | null; attempts: number }>
  runs: Array<{ key: string; method: string; at: number; ok: number; error: string | null; attempt: number; final: number }>
}

// Reads one object's schedule tables from the local dev data. It runs in workerd, under the same
// key dev gives the class (the Worker name and the class name), so an object name maps to the
// same stored file dev uses; it only reads, and never runs the object's code or alarm.
const READER = (className: string) => `
import { DurableObject } from 'cloudflare:workers'
export class ${className} extends DurableObject {
  read() {
    const sql = this.ctx.storage.sql
    const tables = sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((row) => row.name)
    if (!tables.includes('cloudwerk_schedules')) return { pending: [], runs: [] }
    return {
      pending: sql.exec('SELECT * FROM cloudwerk_schedules ORDER BY due, key').toArray(),
      runs: sql.exec('SELECT * FROM cloudwerk_schedule_runs ORDER BY id DESC').toArray(),
    }
  }
  alarm() { throw new Error('cloudwerk objects schedules only reads; the alarm waits for cloudwerk dev') }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    const name = url.searchParams.get('name')
    if (url.pathname === '/id') return new Response(env.OBJECT.idFromName(name).toString())
    return Response.json(await env.OBJECT.getByName(name).read())
  },
}`

/**
 * The schedule rows of the object `name` of class `className`, as stored by `cloudwerk dev` in
 * `root`, or undefined when dev never stored that object.
 */
export async function readStoredSchedules(root: string, className: string, name: string): Promise<StoredSchedules | undefined> {
  const folder = storedObjectsFolder(root, devWorkerName({ name: readConfig(root)?.value.name }), className)
  if (!folder) return undefined
  const mf = new Miniflare({
    modules: true,
    script: READER(className),
    compatibilityDate: COMPATIBILITY_DATE,
    cf: false,
    durableObjects: { OBJECT: { className, useSQLite: true, unsafeUniqueKey: folder } },
    durableObjectsPersist: join(root, OBJECTS_DIR),
  })
  try {
    const id = await (await mf.dispatchFetch(`http://reader/id?name=${encodeURIComponent(name)}`)).text()
    // Asking for an object that was never stored would create it: look for its file first.
    if (!existsSync(join(root, OBJECTS_DIR, folder, `${id}.sqlite`))) return undefined
    const response = await mf.dispatchFetch(`http://reader/read?name=${encodeURIComponent(name)}`)
    if (!response.ok)
      throw new UserError(
        `cloudwerk objects schedules: could not read ${className} "${name}" from ${OBJECTS_DIR}: ${await response.text()}`,
      )
    return (await response.json()) as StoredSchedules
  } finally {
    await mf.dispose()
  }
}

/** The rows as a table of schedules (next run, status, what decides its times) and their last runs. */
export function formatStoredSchedules(stored: StoredSchedules): string[][] {
  const rows = stored.pending.map((row) => [
    row.key,
    `${row.method}()`,
    new Date(row.due).toISOString(),
    row.attempts > 0 ? `retrying (${row.attempts} failed)` : 'pending',
    row.spec ? describeSpec(row.spec) : row.kind === 'alarm' ? 'ctx.storage.setAlarm' : 'once',
  ])
  const pendingKeys = new Set(stored.pending.map((row) => row.key))
  const finished = new Map<string, StoredSchedules['runs'][number]>()
  for (const run of stored.runs) if (!pendingKeys.has(run.key) && !finished.has(run.key)) finished.set(run.key, run)
  for (const run of finished.values()) rows.push([run.key, `${run.method}()`, '-', run.ok ? 'done' : 'failed', 'once'])
  return rows
}

function describeSpec(spec: string): string {
  if (!spec.startsWith('every ')) return spec
  const ms = Number(spec.slice('every '.length))
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ]
  const [size, unit] = units.find(([size]) => ms % size === 0) ?? [1, 'ms']
  return `every ${ms / size} ${unit}${ms / size === 1 || unit === 'ms' ? '' : 's'}`
}
