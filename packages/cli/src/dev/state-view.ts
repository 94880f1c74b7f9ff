import { decodeRows, STATE_ROWS, writeKey } from '@cloudwerk/durable-object/shared/stored-state'
import { STATE_PAGE, STATE_PATH } from './state-page.js'

/**
 * The dev server's object state view at /__cloudwerk/state: each object's `this.state` decoded
 * by key, where the Local Explorer shows Cloudwerk's raw rows. It reads and writes through the
 * explorer's API (which runs SQL inside the object), so it sees exactly what the object stores.
 * An edit is checked before anything is written, and the object is evicted after, so its next
 * call loads the edited state instead of overwriting it with the copy it holds in memory.
 */
const API = '/cdn-cgi/explorer/api/workers/durable_objects/namespaces'

interface Runtime {
  /** The dev server's URL (the explorer answers there). */
  url(): string
  evict(scriptName: string, className: string, id: string): Promise<void>
}

interface Namespace {
  id: string
  script: string
  class: string
  use_sqlite: boolean
}

interface QueryResult {
  rows?: unknown[][]
}

type Respond = (body: string, status: number, type: string) => unknown

export function createStateView(runtime: Runtime, respond: Respond) {
  const json = (value: unknown, status = 200) => respond(JSON.stringify(value), status, 'application/json')

  async function explorer<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(
      runtime.url() + API + path,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    )
    const answer = (await response.json()) as { success: boolean; result: T; errors?: Array<{ message: string }> }
    if (!answer.success)
      throw new Error(answer.errors?.map((e) => e.message).join('; ') || `the Local Explorer answered ${response.status}`)
    return answer.result
  }

  const query = (namespace: string, id: string, queries: Array<{ sql: string; params?: unknown[] }>) =>
    explorer<QueryResult[]>(`/${encodeURIComponent(namespace)}/query`, { durable_object_id: id, queries })

  /** Every object of every SQLite namespace, with its state decoded. */
  async function readAll() {
    const namespaces = (await explorer<Namespace[]>('')).filter((ns) => ns.use_sqlite)
    return Promise.all(
      namespaces.map(async (ns) => {
        const objects = await explorer<Array<{ id: string; name?: string }>>(`/${encodeURIComponent(ns.id)}/objects?limit=100`)
        return {
          namespace: ns.id,
          className: ns.class,
          objects: await Promise.all(objects.map(async (o) => ({ ...o, ...(await readObject(ns.id, o.id)) }))),
        }
      }),
    )
  }

  async function readObject(namespace: string, id: string): Promise<{ state?: Record<string, unknown>; error?: string }> {
    try {
      const [state, items] = await query(namespace, id, [{ sql: STATE_ROWS.keys }, { sql: STATE_ROWS.items }])
      // Asked apart: an object last loaded by a runtime before chunks has no such table.
      const chunks = await query(namespace, id, [{ sql: STATE_ROWS.chunks }]).then(
        ([result]) => result.rows ?? [],
        () => [],
      )
      return { state: decodeRows(state.rows ?? [], items.rows ?? [], chunks) }
    } catch (error) {
      // An object that never stored state has no tables yet.
      return /no such table/.test(String(error)) ? { state: {} } : { error: (error as Error).message }
    }
  }

  /** Replaces one key of one object's state, then evicts the object. */
  async function edit(body: { namespace?: string; id?: string; key?: string; json?: string }) {
    const { namespace, id, key, json: text } = body
    if (!namespace || !id || !key || typeof text !== 'string') return json({ error: 'namespace, id, key and json are required' }, 400)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      return json({ error: `Not saved: the value of "${key}" is not valid JSON (${(error as Error).message}). Nothing was written.` }, 400)
    }
    const ns = (await explorer<Namespace[]>('')).find((n) => n.id === namespace)
    if (!ns) return json({ error: `No Durable Object namespace ${namespace} in this dev server.` }, 404)
    // An object last loaded by a runtime before chunks has no chunks table to clear.
    const [tables] = await query(namespace, id, [{ sql: "SELECT name FROM sqlite_master WHERE name = 'cloudwerk_chunks'" }])
    await query(namespace, id, writeKey(key, value, Boolean(tables.rows?.length)))
    await runtime.evict(ns.script, ns.class, id)
    return json({ ok: true, ...(await readObject(namespace, id)) })
  }

  return {
    async serve(request: Request): Promise<unknown> {
      const { pathname } = new URL(request.url)
      try {
        if (pathname === STATE_PATH) return respond(STATE_PAGE, 200, 'text/html; charset=utf-8')
        if (pathname === `${STATE_PATH}/data`) return json(await readAll())
        if (pathname === `${STATE_PATH}/edit` && request.method === 'POST')
          return await edit((await request.json()) as Record<string, string>)
        return json({ error: 'Not found' }, 404)
      } catch (error) {
        return json({ error: (error as Error).message }, 500)
      }
    },
  }
}

/** The dev requests the front Worker hands to Node: the state view's, then client-reload.ts's. */
export function routeDevRequests(stateView: ReturnType<typeof createStateView>, serveClient: (request: Request) => Promise<unknown>) {
  return (request: Request) => (new URL(request.url).pathname.startsWith(STATE_PATH) ? stateView.serve(request) : serveClient(request))
}
