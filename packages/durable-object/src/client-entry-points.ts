import { completeClose } from './create-class.js'
import type { ObjectRuntime } from './object-runtime.js'
import { TICKET_HEADER } from './client-sync.js'

type AnyFunction = (this: object, ...args: any[]) => unknown

/**
 * Wraps the entry points of an object with `client` so browser connections (tagged sockets, and
 * the fetch that carries a connect ticket) go to its ClientSync, and everything else still reaches
 * the definition's own `fetch` and WebSocket handlers. Adds `__cloudwerkAdmit`, the RPC step of
 * `connectClient` (framework names start with "__", which user methods may not).
 */
export function addClientEntryPoints(prototype: object, runtimeOf: (instance: object) => ObjectRuntime, objectName: string): void {
  const own = (name: string) => Object.getOwnPropertyDescriptor(prototype, name)?.value as AnyFunction | undefined
  const fetch = own('fetch')
  const message = own('webSocketMessage')
  const close = own('webSocketClose')
  const error = own('webSocketError')
  const sync = (instance: object) => runtimeOf(instance).clientSync!
  define(prototype, '__cloudwerkAdmit', function (this: object, data: unknown) {
    return sync(this).admit(data)
  })
  define(prototype, 'fetch', function (this: object, request: Request) {
    if (request.headers.has(TICKET_HEADER)) return sync(this).connect(request)
    if (fetch) return fetch.call(this, request)
    return new Response(`${objectName} has no fetch handler; browsers connect through a route that calls connectClient(request, data).`, {
      status: 404,
    })
  })
  define(prototype, 'webSocketMessage', function (this: object, ws: WebSocket, data: string | ArrayBuffer) {
    if (sync(this).owns(ws)) return sync(this).receive(ws, data)
    return message?.call(this, ws, data)
  })
  define(prototype, 'webSocketClose', function (this: object, ws: WebSocket, code: number, reason: string, wasClean: boolean) {
    if (close && !sync(this).owns(ws)) return close.call(this, ws, code, reason, wasClean)
    completeClose(ws, code, reason)
  })
  define(prototype, 'webSocketError', function (this: object, ws: WebSocket, cause: unknown) {
    if (error && !sync(this).owns(ws)) return error.call(this, ws, cause)
  })
}

function define(prototype: object, name: string, call: AnyFunction): void {
  Object.defineProperty(call, 'name', { value: name })
  Object.defineProperty(prototype, name, { value: call, writable: true, configurable: true })
}
