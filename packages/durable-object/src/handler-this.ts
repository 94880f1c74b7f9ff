import { DurableObjectError } from './errors.js'
import type { TrackedState } from './tracked-state.js'
import type { Turn } from './turn.js'
import type { ObjectContext, ObjectSchedule } from './types.js'

type AnyFunction = (...args: unknown[]) => unknown

export interface HandlerThisParts<Env> {
  objectName: string
  state: TrackedState
  ctx: ObjectContext<Env>
  /** `this.memory`: one object per live instance, never saved. */
  memory: object
  broadcast: (turn: Turn, message: unknown, except?: WebSocket | WebSocket[]) => void
  outside: (turn: Turn, work: unknown) => Promise<unknown>
  /** `this.schedule` for the call. */
  schedule: (turn: Turn) => ObjectSchedule
  methods: Record<string, AnyFunction>
}

const TURN = Symbol('cloudwerk.turn')

/**
 * `this` inside methods and handlers. It is not the DurableObject instance: the instance's
 * prototype is what RPC exposes, so it carries nothing but the entry points, and everything a
 * handler needs lives here instead.
 *
 * Every call gets its own `this` (a one-property object over a shared prototype) that knows its
 * call: while one call awaits `this.outside(work)` others run, and `this.state`,
 * `this.broadcast` and `this.outside` must act for the call they are reached through. Methods
 * are bound to it, so `this.other()` is a plain call inside the current call (no new turn, no
 * queueing behind itself).
 *
 * @example
 * const thisFor = createHandlerThis(parts)
 * await handler.apply(thisFor(turn), args)
 */
export function createHandlerThis<Env>(parts: HandlerThisParts<Env>): (turn: Turn) => object {
  const turnOf = (self: unknown, member: string): Turn => {
    const turn = (self as { [TURN]?: Turn } | undefined)?.[TURN]
    if (turn) return turn
    throw new DurableObjectError(
      `${parts.objectName}: this.${member} was called without \`this\` (taken off the object, e.g. const { ${member} } = this). ` +
        `Call it as this.${member}(...).`,
    )
  }
  const shared: Record<string, unknown> = {}
  Object.defineProperties(shared, {
    state: {
      get(this: unknown) {
        const { phase } = turnOf(this, 'state')
        return phase === 'inside' ? parts.state.view : parts.state.readOnlyView(phase)
      },
      set(this: unknown, next: unknown) {
        const { phase } = turnOf(this, 'state')
        if (phase !== 'inside') throw parts.state.refusal(phase, 'state')
        parts.state.replace(next)
      },
      enumerable: true,
    },
    caller: {
      get(this: unknown) {
        return turnOf(this, 'caller').caller
      },
      enumerable: true,
    },
    ctx: { value: parts.ctx, enumerable: true },
    env: { value: parts.ctx.env, enumerable: true },
    memory: { value: parts.memory, enumerable: true },
    schedule: {
      get(this: unknown) {
        return parts.schedule(turnOf(this, 'schedule'))
      },
      enumerable: true,
      // A method named schedule takes its place below (see withScheduleApi).
      configurable: true,
    },
  })
  const members: Record<string, AnyFunction> = {
    broadcast(this: unknown, message: unknown, except?: unknown) {
      parts.broadcast(turnOf(this, 'broadcast'), message, except as WebSocket | WebSocket[] | undefined)
    },
    outside(this: unknown, work: unknown) {
      return parts.outside(turnOf(this, 'outside'), work)
    },
    ...parts.methods,
  }
  for (const [name, member] of Object.entries(members)) {
    Object.defineProperty(shared, name, {
      // Bound to the call's `this` on first use (and kept on it), so `const { other } = this` works too.
      get(this: object) {
        const bound = member.bind(this)
        if (name === 'schedule') withScheduleApi(bound, () => parts.schedule(turnOf(this, 'schedule')))
        Object.defineProperty(this, name, { value: bound, enumerable: true })
        return bound
      },
      enumerable: true,
    })
  }
  const prototype = new Proxy(shared, {
    // Reached for every assignment to a property of `this` (its own ones, TURN and the methods
    // bound so far, are read-only).
    set(target, key, value, receiver) {
      if (key === 'state') return Reflect.set(target, key, value, receiver)
      throw new DurableObjectError(
        `${parts.objectName}: cannot set this.${String(key)}. Only this.state is saved; other properties on \`this\` ` +
          'would be lost whenever the object is evicted. Keep data in this.state, or in this.memory for what may ' +
          'vanish (a cache, live sessions): this.memory.' +
          String(key) +
          ' = ...',
      )
    },
    defineProperty() {
      throw new DurableObjectError(`${parts.objectName}: \`this\` in a Durable Object handler cannot be given new properties.`)
    },
  })
  return (turn) => {
    const self = Object.create(prototype) as Record<PropertyKey, unknown>
    // Defined on the plain object itself, so this never reaches the proxy's defineProperty trap.
    Object.defineProperty(self, TURN, { value: turn })
    return self
  }
}

/**
 * The reference guide's objects name a method `schedule` (a reminder that sets its alarm), so a
 * method may take that name. `this.schedule(...)` then calls it, and `this.schedule.at/after/
 * cancel/list` are still the schedule API of the call, as its type (the method & ObjectSchedule) says.
 */
function withScheduleApi(method: AnyFunction, api: () => ObjectSchedule): void {
  const members: Record<keyof ObjectSchedule, AnyFunction> = {
    at: (...args) => api().at(...(args as Parameters<ObjectSchedule['at']>)),
    after: (...args) => api().after(...(args as Parameters<ObjectSchedule['after']>)),
    cancel: (key) => api().cancel(key as string),
    list: () => api().list(),
  }
  Object.assign(method, members)
}
