import { CLIENT_TAG } from './client-sync.js'
import { createObjectSql } from './object-sql.js'
import type { ObjectContext } from './types.js'

/**
 * The object's own alarm, as `ctx.storage.setAlarm/getAlarm/deleteAlarm` see it: one entry among
 * the schedules that share the native alarm (see ObjectSchedules).
 */
export interface UserAlarm {
  set(time: number): void
  get(): number | null
  delete(): void
}

/**
 * `this.ctx` and the argument of `init`: the native DurableObjectState with a friendlier `sql`.
 * `storage` forwards to the native storage but reports `deleteAll()`, which drops the state
 * table too: the runtime then ends the object's current life instead of writing into nothing.
 * Its alarm calls go to `alarm`, since the runtime owns the native alarm.
 */
export function createObjectContext<Env>(
  native: DurableObjectState,
  env: Env,
  onDeleteAll: () => void,
  alarm: UserAlarm,
): ObjectContext<Env> {
  return Object.freeze({
    id: native.id,
    env,
    storage: watchDeleteAll(native.storage, onDeleteAll, alarm),
    sql: createObjectSql(native.storage.sql),
    acceptWebSocket: (ws: WebSocket, tags?: string[]) => native.acceptWebSocket(ws, tags),
    getWebSockets: (tag?: string) => native.getWebSockets(tag),
    getTags: (ws: WebSocket) => native.getTags(ws),
    waitUntil: (promise: Promise<unknown>) => native.waitUntil(promise),
    blockConcurrencyWhile: <T>(callback: () => Promise<T>) => native.blockConcurrencyWhile(callback),
    native,
  })
}

function watchDeleteAll(storage: DurableObjectStorage, onDeleteAll: () => void, alarm: UserAlarm): DurableObjectStorage {
  const bound = new Map<PropertyKey, unknown>()
  const alarmCalls: Record<PropertyKey, unknown> = {
    setAlarm: async (time: number | Date) => alarm.set(time instanceof Date ? time.getTime() : Number(time)),
    getAlarm: async () => alarm.get(),
    deleteAlarm: async () => alarm.delete(),
  }
  return new Proxy(storage, {
    get(target, key) {
      if (Object.hasOwn(alarmCalls, key)) return alarmCalls[key]
      if (key === 'deleteAll') {
        return (options?: DurableObjectPutOptions) => {
          onDeleteAll()
          return target.deleteAll(options)
        }
      }
      const value = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      // Native methods check their receiver: call them on the real storage, not on this proxy.
      if (!bound.has(key)) bound.set(key, value.bind(target))
      return bound.get(key)
    },
  })
}

/**
 * Prepares a message for every accepted WebSocket but `except`, and returns the function that
 * sends it. Recipients and payload are fixed now; sending can wait (see ObjectRuntime.broadcast).
 * Strings go as they are, binary as binary, anything else as JSON. A socket that fails to send
 * (closing, closed) is skipped: one dead peer must not stop the others from hearing the message.
 */
export function prepareBroadcast(native: DurableObjectState, message: unknown, except?: WebSocket | WebSocket[]): () => void {
  const skipped = new Set(Array.isArray(except) ? except : except ? [except] : [])
  // Browser connections of @cloudwerk/client speak their own protocol: they get state, not broadcasts.
  for (const ws of native.getWebSockets(CLIENT_TAG)) skipped.add(ws)
  const data =
    typeof message === 'string' || message instanceof ArrayBuffer || ArrayBuffer.isView(message) ? message : JSON.stringify(message)
  const recipients = native.getWebSockets().filter((ws) => !skipped.has(ws))
  return () => {
    for (const ws of recipients) {
      try {
        ws.send(data as string | ArrayBuffer)
      } catch {
        // The socket is closing or closed; its close handler will run.
      }
    }
  }
}
