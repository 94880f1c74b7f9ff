import { DurableObjectError } from './errors.js'
import type { TrackedState } from './tracked-state.js'
import type { ObjectContext } from './types.js'

type AnyFunction = (...args: unknown[]) => unknown

export interface HandlerThisParts<Env> {
  objectName: string
  state: TrackedState
  ctx: ObjectContext<Env>
  broadcast: (message: unknown, except?: WebSocket | WebSocket[]) => void
  methods: Record<string, AnyFunction>
}

/**
 * `this` inside methods and handlers. It is not the DurableObject instance: the instance's
 * prototype is what RPC exposes, so it carries nothing but the entry points, and everything a
 * handler needs lives here instead. Methods are bound to it, so `this.other()` is a plain call
 * inside the current turn (no new turn, no queueing behind itself).
 */
export function createHandlerThis<Env>(parts: HandlerThisParts<Env>): Record<string, unknown> {
  const self: Record<string, unknown> = {}
  const proxy = new Proxy(self, {
    set(target, key, value) {
      if (key === 'state') return Reflect.set(target, key, value, target)
      throw new DurableObjectError(
        `${parts.objectName}: cannot set this.${String(key)}. Only this.state is saved; other properties on \`this\` ` +
          'would be lost whenever the object is evicted. Keep data in this.state, or use a module-level variable ' +
          'for a cache that may vanish.',
      )
    },
    defineProperty() {
      throw new DurableObjectError(`${parts.objectName}: \`this\` in a Durable Object handler cannot be given new properties.`)
    },
  })
  Object.defineProperties(self, {
    state: {
      get: () => parts.state.view,
      set: (next: unknown) => parts.state.replace(next),
      enumerable: true,
    },
    ctx: { value: parts.ctx, enumerable: true },
    env: { value: parts.ctx.env, enumerable: true },
    broadcast: { value: parts.broadcast, enumerable: true },
  })
  for (const [name, method] of Object.entries(parts.methods)) {
    Object.defineProperty(self, name, { value: method.bind(proxy), enumerable: true })
  }
  return proxy
}
