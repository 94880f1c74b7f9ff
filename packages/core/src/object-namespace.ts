import { DurableObjectConfigError, DurableObjectMethodNotFoundError, DurableObjectRPCError } from '@cloudwerk/durable-object'

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

// Must match TICKET_HEADER and RESUME_PARAM in @cloudwerk/durable-object's client-sync.ts.
const TICKET_HEADER = 'cloudwerk-client-ticket'
const RESUME_PARAM = 'cloudwerk-resume'

/**
 * `stub.connectClient(request, data)` in a route: connects a browser (`@cloudwerk/client`) to the
 * object, which sees `data` as `this.caller.data`. Two steps, because only `fetch` can hand back a
 * WebSocket: an RPC leaves `data` with the object under a one-time ticket, then a fetch carrying
 * the ticket upgrades. A forged request can never choose its own `data`.
 */
async function connectClient(stub: NativeStub, objectName: string, request: Request, data: unknown): Promise<Response> {
  if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
    return new Response('Expected WebSocket (connect with @cloudwerk/client)', { status: 426 })
  }
  const ticket = (await callMethod(stub, objectName, '__cloudwerkAdmit', [data]).catch((error: unknown) => {
    if (!(error instanceof DurableObjectMethodNotFoundError)) throw error
    throw new DurableObjectConfigError(
      `${objectName}: connectClient(request, data) needs browser access in the object's definition. ` +
        `Add client: { state: ['topic'], methods: ['send'] } to defineDurableObject({...}) in the ${objectName} file under app/objects/.`,
    )
  })) as string
  const url = new URL(request.url)
  const target = new URL('https://object/connect')
  const resume = url.searchParams.get(RESUME_PARAM)
  if (resume) target.searchParams.set(RESUME_PARAM, resume)
  return stub.fetch(target.href, { headers: { Upgrade: 'websocket', [TICKET_HEADER]: ticket } })
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
        if (property === 'connectClient') return (request: Request, data?: unknown) => connectClient(native, objectName, request, data)
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
    get: (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) => wrapStub(namespace.get(id, options), objectName),
    getByName: (name: string, options?: DurableObjectNamespaceGetDurableObjectOptions) =>
      wrapStub(namespace.getByName(name, options), objectName),
    jurisdiction: (jurisdiction: DurableObjectJurisdiction) => wrapNamespace(namespace.jurisdiction(jurisdiction), objectName),
  }
}
