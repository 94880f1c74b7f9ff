// The objects of the state-version benchmark (run.mjs), in two deploys (old.ts, new.ts): 'old'
// stores every object at version 1; 'new' is the next deploy, where Current stays at version 1
// (a plain load), OneKey's step adds one key, and EveryItem's step rewrites every item.
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'

type Entry = { id: number; text: string }
type Feed = { entries: Entry[]; title: string; unread?: number }

const methods = {
  async fill(this: { state: Feed }, count: number) {
    for (let id = 0; id < count; id++) this.state.entries.push({ id, text: `entry number ${id} of the feed` })
    return this.state.entries.length
  },
  async count(this: { state: Feed }) {
    return this.state.entries.length
  },
}
const init = () => ({ entries: [], title: 'feed' })

/** One deploy's classes and fetch handler. */
export function deploy(stage: 'old' | 'new') {
  const current = defineDurableObject<Feed>({ init, methods })
  const oneKey =
    stage === 'old'
      ? current
      : defineDurableObject<Feed>({ version: 2, migrate: { 2: (old: any) => ({ ...old, unread: 0 }) }, init, methods })
  const everyItem =
    stage === 'old'
      ? current
      : defineDurableObject<Feed>({
          version: 2,
          migrate: {
            2: (old: any) => ({ ...old, entries: old.entries.map((entry: Entry) => ({ ...entry, text: entry.text.toUpperCase() })) }),
          },
          init,
          methods,
        })
  return {
    Current: createDurableObjectClass(current, { name: 'Current' }),
    OneKey: createDurableObjectClass(oneKey, { name: 'OneKey' }),
    EveryItem: createDurableObjectClass(everyItem, { name: 'EveryItem' }),
    worker,
  }
}

const BINDINGS = { current: 'CURRENT', oneKey: 'ONE_KEY', everyItem: 'EVERY_ITEM' } as const

const worker = {
  // /fill?impl=&name=&n=  stores n entries;  /first?impl=&name=  times the first call to an object (its load, and
  // its migration if any), from inside the Worker.
  async fetch(request: Request, env: Record<string, DurableObjectNamespace>) {
    const url = new URL(request.url)
    const impl = url.searchParams.get('impl') as keyof typeof BINDINGS
    const stub = env[BINDINGS[impl]].getByName(url.searchParams.get('name')!) as unknown as typeof methods
    if (url.pathname === '/fill') return Response.json(await stub.fill(Number(url.searchParams.get('n'))))
    const start = performance.now()
    const count = await stub.count()
    return Response.json({ count, ms: performance.now() - start })
  },
}
