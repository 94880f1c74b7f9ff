import { DurableObjectStateError } from './errors.js'

/** Returns the plain object behind a state proxy, or undefined for anything else. */
export type Unwrap = (value: object) => object | undefined

/**
 * Copies `value` into a fresh tree of plain JSON data, or throws naming the first part JSON
 * cannot store faithfully. State is stored as JSON, so accepting a Date or a Map would hand
 * back a string or `{}` after the next restart; failing at the assignment is kinder.
 *
 * Proxies of existing state are unwrapped and copied, so one object never sits under two keys
 * (a change through one key would silently change the other in memory but not in storage).
 */
export function copyJsonData(value: unknown, path: string, unwrap: Unwrap, objectName: string): unknown {
  return copyValue(value, path, { unwrap, objectName, ancestors: [] })
}

interface CopyContext {
  unwrap: Unwrap
  objectName: string
  /** Objects on the way from the root to the value being copied: a repeat is a cycle. */
  ancestors: Array<{ value: object; path: string }>
}

function copyValue(value: unknown, path: string, context: CopyContext): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (Number.isFinite(value)) return value
      throw notJson(context, path, `is ${value}`, 'JSON has no NaN or Infinity (it would come back as null); store null or a string')
    case 'bigint':
      throw notJson(context, path, 'is a bigint', `store it as a string (value.toString()) and parse it with BigInt() when reading`)
    case 'undefined':
      throw notJson(context, path, 'is undefined', 'JSON would store null in its place; use null')
    case 'function':
    case 'symbol':
      throw notJson(context, path, `is a ${typeof value}`, 'only data can be saved; keep functions in code, not in state')
  }
  if (value === null) return null
  const target = context.unwrap(value as object)
  // Already-stored state is valid JSON data: a structured clone is a faithful, fast deep copy.
  if (target) return structuredClone(target)
  return copyObject(value as object, path, context)
}

function copyObject(value: object, path: string, context: CopyContext): unknown {
  const seen = context.ancestors.find((ancestor) => ancestor.value === value)
  if (seen) {
    throw notJson(
      context,
      path,
      `refers back to ${seen.path} (a cycle)`,
      'JSON cannot store cycles; store an id and look the object up instead',
    )
  }
  const problem = describeNonPlain(value)
  if (problem) throw notJson(context, path, problem.what, problem.fix)
  context.ancestors.push({ value, path })
  try {
    if (Array.isArray(value)) {
      const copy: unknown[] = []
      for (let index = 0; index < value.length; index++) {
        const item = value[index]
        if (isJsonPrimitive(item)) copy.push(item)
        else if (!(index in value))
          throw notJson(context, `${path}[${index}]`, 'is a hole in a sparse array', 'JSON would store null there; fill it with null')
        else copy.push(copyValue(item, `${path}[${index}]`, context))
      }
      return copy
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw notJson(context, path, 'has symbol keys', 'JSON keeps only string keys; use string keys')
    }
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key]
      // JSON drops undefined properties; dropping them here keeps memory and storage alike.
      if (item === undefined) continue
      // The common case (a small object of strings and numbers) without paths or checks; only
      // "__proto__" needs defining rather than assigning.
      const copied = isJsonPrimitive(item) ? item : copyValue(item, joinPath(path, key), context)
      if (key === '__proto__') defineDataProperty(copy, key, copied)
      else copy[key] = copied
    }
    return copy
  } finally {
    context.ancestors.pop()
  }
}

/** A value JSON stores as it is: a string, a boolean, a finite number, or null. */
function isJsonPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}

function describeNonPlain(value: object): { what: string; fix: string } | undefined {
  const prototype = Object.getPrototypeOf(value)
  if (Array.isArray(value) ? prototype === Array.prototype : prototype === Object.prototype || prototype === null) {
    return undefined
  }
  if (value instanceof Date) return { what: 'is a Date', fix: 'store date.getTime() or date.toISOString() instead' }
  if (value instanceof Map) return { what: 'is a Map', fix: 'store Object.fromEntries(map) (string keys) or [...map] instead' }
  if (value instanceof Set) return { what: 'is a Set', fix: 'store [...set] instead' }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return { what: 'is binary data', fix: 'store it as base64 text, or keep blobs in a ctx.sql table' }
  }
  const className = (prototype?.constructor as { name?: string } | undefined)?.name || 'non-plain'
  return {
    what: `is a ${className} instance`,
    fix: 'only plain objects and arrays can be saved; copy the fields you need into a plain object',
  }
}

function notJson(context: CopyContext, path: string, what: string, fix: string): DurableObjectStateError {
  return new DurableObjectStateError(
    `${context.objectName}: ${path} ${what}, which state cannot hold (it is saved as JSON). Fix: ${fix}.`,
    path,
  )
}

/** Sets an own data property; plain assignment of `__proto__` would change the prototype instead. */
export function defineDataProperty(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
}

/** `state.items[0].name`, or `state["first name"]` for keys that are not identifiers. */
export function joinPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
}

/**
 * Replaces state proxies inside a turn's result with plain copies. The result is serialized
 * after the turn has ended, when the next turn may already be changing the same objects, and
 * workerd's RPC would treat a Proxy as a remote object rather than as data. Containers without
 * proxies inside are returned as they are, so large query results are not copied.
 */
export function detachResult(value: unknown, unwrap: Unwrap, seen = new Set<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value
  const target = unwrap(value)
  if (target) return structuredClone(target)
  if (value instanceof Map || value instanceof Set) return detachCollection(value, unwrap, seen)
  const prototype = Object.getPrototypeOf(value)
  const isContainer = Array.isArray(value) || prototype === Object.prototype || prototype === null
  if (!isContainer || seen.has(value)) return value
  seen.add(value)
  const source = value as Record<string, unknown>
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(source)) {
    const item = source[key]
    const detached = detachResult(item, unwrap, seen)
    if (detached !== item) copy ??= copyShallow(source)
    if (copy) defineDataProperty(copy, key, detached)
  }
  return copy ?? value
}

// RPC sends Maps and Sets as data too, so a state proxy inside one needs its copy as well; left
// in, it would fail the call only after the turn had committed ("Proxy could not be serialized").
function detachCollection(value: Map<unknown, unknown> | Set<unknown>, unwrap: Unwrap, seen: Set<object>): unknown {
  if (seen.has(value)) return value
  seen.add(value)
  const items = [...value]
  const detached = items.map((item) => detachResult(item, unwrap, seen))
  if (detached.every((item, index) => item === items[index])) return value
  return value instanceof Map ? new Map(detached as Array<[unknown, unknown]>) : new Set(detached)
}

function copyShallow(source: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(source)) return source.slice() as unknown as Record<string, unknown>
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(source)) defineDataProperty(copy, key, source[key])
  return copy
}
