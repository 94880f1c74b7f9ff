// What Node (testing/bridge.ts) and the test bridge Worker (test-bridge.ts) exchange: a call, and
// values encoded so that what RPC's structured clone keeps (Date, Map, Set, BigInt, undefined,
// typed arrays, ...) arrives as it would through a real stub, not as JSON's strings and nulls.
// Runs on both sides: language built-ins only.

/** One call to an object: `{ binding, name | id, method, args }` (args encoded). */
export interface BridgeCall {
  binding: string
  name?: string
  id?: string
  method: string
  args: unknown[]
}

/** What the bridge answers: the encoded result, or the error's name and message. */
export type BridgeAnswer = { value: unknown; error?: undefined } | { error: { name: string; message: string } }

// Every object is tagged, so no plain value can pass for a tag.
type Tagged = { $: string; v?: unknown }

/** A structured-cloneable value as JSON; `decodeValue` gives it back. */
export function encodeValue(value: unknown): unknown {
  if (value === undefined) return { $: 'undefined' }
  if (typeof value === 'bigint') return { $: 'BigInt', v: String(value) }
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
    return { $: 'Number', v: Object.is(value, -0) ? '-0' : String(value) }
  if (typeof value === 'function' || typeof value === 'symbol')
    throw new TypeError(`a ${typeof value} cannot be sent over RPC from a test: app.objects passes plain data`)
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(encodeValue)
  if (value instanceof Date) return { $: 'Date', v: String(value.getTime()) }
  if (value instanceof Map) return { $: 'Map', v: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) }
  if (value instanceof Set) return { $: 'Set', v: [...value].map(encodeValue) }
  if (value instanceof RegExp) return { $: 'RegExp', v: [value.source, value.flags] }
  if (value instanceof ArrayBuffer) return { $: 'ArrayBuffer', v: [...new Uint8Array(value)] }
  if (ArrayBuffer.isView(value))
    return { $: value.constructor.name, v: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] }
  if (value instanceof Error) return { $: 'Error', v: [value.name, value.message] }
  return { $: 'Object', v: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)])) }
}

export function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(decodeValue)
  const { $: tag, v } = value as Tagged
  const list = v as unknown[]
  switch (tag) {
    case 'undefined':
      return undefined
    case 'BigInt':
      return BigInt(v as string)
    case 'Number':
      return Number(v)
    case 'Date':
      return new Date(Number(v))
    case 'Map':
      return new Map(list.map((entry) => (entry as unknown[]).map(decodeValue) as [unknown, unknown]))
    case 'Set':
      return new Set(list.map(decodeValue))
    case 'RegExp':
      return new RegExp(list[0] as string, list[1] as string)
    case 'Object':
      return Object.fromEntries(Object.entries(v as object).map(([k, item]) => [k, decodeValue(item)]))
    case 'Error':
      return Object.assign(new Error(list[1] as string), { name: list[0] })
  }
  const bytes = Uint8Array.from(list as number[]).buffer
  if (tag === 'ArrayBuffer') return bytes
  const View = (globalThis as unknown as Record<string, new (buffer: ArrayBuffer) => unknown>)[tag]
  return tag === 'Buffer' ? new Uint8Array(bytes) : new View(bytes)
}
