// `env` comes from `cloudflare:workers`, which workerd fills for the whole isolate: that is why
// this module works the same in routes, middleware and inside objects, with no request context.
import { env } from 'cloudflare:workers'
import { DurableObjectNotFoundError } from '@cloudwerk/durable-object'
import { bindingForObject, isObjectNamespace, knownObjectNames } from './object-registry.js'
import { wrapNamespace } from './object-namespace.js'

export { env }

/**
 * The app's objects and their RPC methods, keyed by class name. Empty here: `cloudwerk types`
 * fills it in `.cloudwerk/types.d.ts` from the definitions in `app/objects/`:
 *
 * @example
 * declare module '@cloudwerk/core/bindings' {
 *   interface CloudwerkObjects {
 *     Counter: { increment(amount?: number): Promise<number> }
 *   }
 * }
 */
export interface CloudwerkObjects {}

type AnyFunction = (...args: any[]) => any
// The stub's own members; a method of the same name could not be reached through the stub.
type StubMember = 'fetch' | 'id' | 'name' | 'connectClient'

/** A stub: each method returns a promise of what the object's method returns. */
export type ObjectStub<Methods> = {
  [M in Exclude<keyof Methods, StubMember> as Methods[M] extends AnyFunction ? M : never]: Methods[M] extends (
    ...args: infer Args
  ) => infer Result
    ? (...args: Args) => Promise<Awaited<Result>>
    : never
} & {
  /** Sends a request to the object's `fetch` handler. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /**
   * Connects a browser (`connect()` from `@cloudwerk/client`) to the object: answers the
   * WebSocket upgrade in `request`. The object sees `data` as `this.caller.data` in the calls of
   * this browser (keep it small: at most 15 KB as JSON). The object needs `client` in its definition.
   *
   * @example
   * return durableObjects.Room.getByName(params.id).connectClient(request, { user })
   */
  connectClient(request: Request, data?: unknown): Promise<Response>
  readonly id: DurableObjectId
  readonly name?: string
}

/** `durableObjects.<Name>`: the native namespace API, handing out typed stubs. */
export interface ObjectNamespace<Methods> {
  idFromName(name: string): DurableObjectId
  idFromString(id: string): DurableObjectId
  newUniqueId(options?: DurableObjectNamespaceNewUniqueIdOptions): DurableObjectId
  get(id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions): ObjectStub<Methods>
  getByName(name: string, options?: DurableObjectNamespaceGetDurableObjectOptions): ObjectStub<Methods>
  jurisdiction(jurisdiction: DurableObjectJurisdiction): ObjectNamespace<Methods>
}

export type DurableObjects = { readonly [K in keyof CloudwerkObjects]: ObjectNamespace<CloudwerkObjects[K]> }

function lookUpObject(objectName: string): object {
  const bindings = env as unknown as Record<string, unknown>
  const binding = bindingForObject(objectName)
  const namespace = bindings[binding]
  if (isObjectNamespace(namespace)) return wrapNamespace(namespace, objectName)
  throw new DurableObjectNotFoundError({ name: objectName, available: knownObjectNames(bindings) })
}

const NOT_OBJECT_NAMES = new Set(['then', 'toJSON', 'constructor'])

/**
 * The app's Durable Objects by class name, with typed RPC stubs.
 *
 * @example
 * import { durableObjects } from '@cloudwerk/core/bindings'
 *
 * const counter = durableObjects.Counter.getByName(params.id)
 * const value = await counter.increment(2)
 */
export const durableObjects = new Proxy({} as DurableObjects, {
  get(_target, property) {
    // Asked by the language, JSON.stringify and console inspection, never meant as object names.
    if (typeof property === 'symbol' || NOT_OBJECT_NAMES.has(property)) return undefined
    return lookUpObject(property)
  },
})
