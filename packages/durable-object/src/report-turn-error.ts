import { isDev } from './shared/dev-flag.js'
import { HANDLER_NAMES } from './shared/handler-names.js'

/**
 * Logs the error that failed a turn, with the object and the entry point. A handler's error
 * (`fetch`, `alarm`, `webSocketMessage`, `webSocketClose`, `webSocketError`) has no caller that
 * would print it (workerd drops a `webSocketMessage` error without a word), so it is logged
 * always, once. A method's error reaches its caller, which logs it, but without the stack on the
 * object's side (RPC does not carry it): in dev it is logged here too, and `cloudwerk dev` maps
 * that stack to the object's file.
 */
export function reportTurnError(objectName: string, entryPoint: string, error: unknown, env: unknown): void {
  if (!(HANDLER_NAMES as readonly string[]).includes(entryPoint) && !isDev(env)) return
  console.error(`[cloudwerk] ${objectName}.${entryPoint}() failed:`, error)
}
