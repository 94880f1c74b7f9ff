import { json } from '@cloudwerk/core'
import { durableObjects, env } from '@cloudwerk/core/bindings'
import { bindingNameFromClass } from '@cloudwerk/core/naming'

// The tests call objects through this route, so every call is a real RPC call made inside
// workerd (Miniflare's Node-side stubs change thrown errors). `via: 'native'` uses the raw
// namespace from env, `via: 'bindings'` (default) the framework's durableObjects proxy.
// Arguments JSON cannot carry are written as { "$": kind } and built here.
interface Call {
  object: string
  name: string
  method: string
  args?: unknown[]
  via?: 'native' | 'bindings'
}

const SPECIAL: Record<string, () => unknown> = {
  function: () => () => 'a function',
  symbol: () => Symbol('s'),
  bigint: () => 10n,
  date: () => new Date(0),
  map: () => new Map([['a', 1]]),
  undefined: () => undefined,
  nan: () => NaN,
  cycle: () => {
    const node: Record<string, unknown> = {}
    node.self = node
    return node
  },
  'proto-json': () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'),
  'deep-proto-json': () => JSON.parse('{"a": {"__proto__": {"polluted": "yes"}}}'),
}

function build(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(build)
  if (value && typeof value === 'object' && '$' in value && typeof value.$ === 'string' && SPECIAL[value.$]) return SPECIAL[value.$]()
  return value
}

export async function POST(request: Request) {
  const call = (await request.json()) as Call
  const args = build(call.args ?? []) as unknown[]
  const stub =
    call.via === 'native'
      ? ((env as unknown as Record<string, DurableObjectNamespace>)[bindingNameFromClass(call.object)].getByName(call.name) as unknown as Record<string, unknown>)
      : ((durableObjects as unknown as Record<string, { getByName(name: string): Record<string, unknown> }>)[call.object].getByName(call.name))
  try {
    const value = await (stub[call.method] as (...args: unknown[]) => Promise<unknown>)(...args)
    return json({ ok: true, value: describe(value) })
  } catch (error) {
    const { name, message } = error as Error
    return json({ ok: false, error: { name: String(name), message: String(message) } })
  }
}

/** The value as JSON can show it: Maps and other non-JSON values are described, not lost. */
function describe(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value.entries()] }
  if (typeof value === 'function') return { $: 'function' }
  return value
}
