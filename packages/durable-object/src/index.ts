export { defineDurableObject, isDurableObjectDefinition } from './define.js'
export { createDurableObjectClass, type DurableObjectClass, type ObjectClassOptions, type TestHookRequest } from './create-class.js'
export {
  DurableObjectError,
  DurableObjectConfigError,
  DurableObjectNotFoundError,
  DurableObjectRPCError,
  DurableObjectMethodNotFoundError,
  DurableObjectStateError,
  type NotFoundDetails,
  type RPCErrorDetails,
} from './errors.js'
export { MAX_ROW_BYTES } from './state-store.js'
export { DEFAULT_QUEUE_TIMEOUT_MS } from './turn-queue.js'
export type * from './types.js'
