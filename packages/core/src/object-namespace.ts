import { DurableObjectMethodNotFoundError, DurableObjectRPCError } from '@cloudwerk/durable-object'

type NativeStub = DurableObjectStub & Record<string, unknown>

async function callMethod(stub: NativeStub, objectName: string, methodName: string, args: unknown[]): Promise<unknown> {
  try {
    // Awaited here so a failure is wrapped; the price is RPC promise pipelining on the result.
    return await (stub[methodName] as (...args: unknown[]) => unknown)(...args)
  } catch (error) {
    const details = { objectName, methodName, cause: error }
    throw isMissingMethod(error) ? new DurableObjectMethodNotFoundError(details) : new DurableObjectRPCError(details)
  }
}

// workerd's own TypeError for a name the object's class does not have; it carries no code, only
// this message (`The RPC receiver does not implement the method "bidd".`).
function isMissingMethod(error: unknown): boolean {
  return error instanceof TypeError && error.message.includes('RPC receiver does not implement the method')
}

/**
 * A stub whose every method but `fetch` is an RPC call that fails with `DurableObjectRPCError`
 * naming the object and the method. A Proxy, because the methods are the user's and unknown here.
 */
export function wrapStub(stub: DurableObjectStub, objectName: string): object {
  const native = stub as NativeStub
  return new Proxy(
    {},
    {
      get(_target, property) {
        if (property === 'fetch') return (input: RequestInfo | URL, init?: RequestInit) => stub.fetch(input, init)
        if (property === 'id') return stub.id
        if (property === 'name') return stub.name
        // Not an RPC method: `then` would make `await stub` call the object; symbols are for the
        // language (Symbol.dispose, inspection) and belong to the native stub.
        if (property === 'then') return undefined
        if (typeof property === 'symbol') {
          const value = Reflect.get(stub, property)
          return typeof value === 'function' ? value.bind(stub) : value
        }
        return (...args: unknown[]) => callMethod(native, objectName, property, args)
      },
    },
  )
}

/** `durableObjects.<Name>`: the native namespace, with stubs from `wrapStub`. */
export function wrapNamespace(namespace: DurableObjectNamespace, objectName: string): object {
  return {
    idFromName: (name: string) => namespace.idFromName(name),
    idFromString: (id: string) => namespace.idFromString(id),
    newUniqueId: (options?: DurableObjectNamespaceNewUniqueIdOptions) => namespace.newUniqueId(options),
    get: (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) =>
      wrapStub(namespace.get(id, options), objectName),
    getByName: (name: string, options?: DurableObjectNamespaceGetDurableObjectOptions) =>
      wrapStub(namespace.getByName(name, options), objectName),
    jurisdiction: (jurisdiction: DurableObjectJurisdiction) => wrapNamespace(namespace.jurisdiction(jurisdiction), objectName),
  }
}
