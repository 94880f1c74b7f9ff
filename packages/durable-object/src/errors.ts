import { suggestName } from './shared/suggest.js'

// User-facing errors. Each sets `name` explicitly: workerd keeps `name`, `message` and own
// properties when an error crosses RPC, but not the class, so callers on the other side of a
// stub can still tell the errors apart by `error.name`.

/** Base class of every error the object runtime throws. */
export class DurableObjectError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DurableObjectError'
  }
}

/** A definition the framework cannot honour: wrong shape, reserved name, unsupported option. */
export class DurableObjectConfigError extends DurableObjectError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DurableObjectConfigError'
  }
}

/** State that cannot be stored: fails the schema, is not JSON data, or is too large. */
export class DurableObjectStateError extends DurableObjectError {
  /** Where in the state the problem is, e.g. `state.items[2].quantity`. */
  readonly path: string

  constructor(message: string, path: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DurableObjectStateError'
    this.path = path
  }
}

export interface RPCErrorDetails {
  objectName: string
  methodName: string
  /** The error the call failed with; its message is kept in this error's message. */
  cause: unknown
}

/**
 * A call through a stub failed.
 *
 * @example
 * throw new DurableObjectRPCError({ objectName: 'Counter', methodName: 'increment', cause: error })
 * // message: 'Counter.increment() failed: <original message>'
 */
export class DurableObjectRPCError extends DurableObjectError {
  readonly objectName: string
  readonly methodName: string

  constructor({ objectName, methodName, cause }: RPCErrorDetails) {
    super(`${objectName}.${methodName}() failed: ${describeCause(cause)}`, { cause })
    this.name = 'DurableObjectRPCError'
    this.objectName = objectName
    this.methodName = methodName
  }
}

/**
 * A call through a stub named a method the object does not have: a programming error (a typo, a
 * method removed from the definition, a caller built against older code), not a refusal by the
 * object, so it is not a `DurableObjectRPCError` and a route that maps those to 4xx answers 500.
 *
 * @example
 * throw new DurableObjectMethodNotFoundError({ objectName: 'Auction', methodName: 'bidd', cause: error })
 * // message: 'Auction.bidd(): Auction has no method "bidd". ...'
 */
export class DurableObjectMethodNotFoundError extends DurableObjectError {
  readonly objectName: string
  readonly methodName: string

  constructor({ objectName, methodName, cause }: RPCErrorDetails) {
    super(
      `${objectName}.${methodName}(): ${objectName} has no method "${methodName}". Check the name against the \`methods\` of its definition (a typo, or a method that was removed or renamed).`,
      { cause },
    )
    this.name = 'DurableObjectMethodNotFoundError'
    this.objectName = objectName
    this.methodName = methodName
  }
}

export interface NotFoundDetails {
  /** The object name that was asked for. */
  name: string
  /** The object names that exist, for the message. */
  available: readonly string[]
}

/**
 * An object name that no `app/objects/*.ts` file defines.
 *
 * @example
 * throw new DurableObjectNotFoundError({ name: 'Conter', available: ['Counter', 'Cart'] })
 * // message: 'No Durable Object named "Conter". Did you mean "Counter"? Objects in this app: Cart, Counter. ...'
 */
export class DurableObjectNotFoundError extends DurableObjectError {
  readonly objectName: string
  readonly available: readonly string[]

  constructor({ name, available }: NotFoundDetails) {
    super(describeMissingObject(name, available))
    this.name = 'DurableObjectNotFoundError'
    this.objectName = name
    this.available = available
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message
  return typeof cause === 'string' ? cause : String(cause)
}

function describeMissingObject(name: string, available: readonly string[]): string {
  const sorted = [...available].sort()
  if (sorted.length === 0) {
    return `No Durable Object named "${name}": this app defines none. Create app/objects/<name>.ts with \`export default defineDurableObject({ ... })\`.`
  }
  const close = suggestName(name, sorted)
  const hint = close ? ` Did you mean "${close}"?` : ''
  return (
    `No Durable Object named "${name}".${hint} Objects in this app: ${sorted.join(', ')}. ` +
    `An object's name comes from its file: app/objects/chat-room.ts is "ChatRoom". ` +
    'If you just added the file, run `cloudwerk build` (cloudwerk dev does it on save) so its binding exists.'
  )
}
