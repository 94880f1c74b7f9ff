import type { DefaultEnv, DefaultMemory, DurableObjectDefinition, DurableObjectDefinitionInput, MethodLike, MethodTable } from './types.js'
import { validateDefinition } from './validate-definition.js'

// Symbol.for, not a private symbol: if a bundle ends up with two copies of this package, a
// definition made by one copy must still be accepted by the other's class factory.
const DEFINITION_MARK = Symbol.for('cloudwerk.durableObjectDefinition')

/**
 * Declares a Durable Object: its first state, its RPC methods and its handlers. The build turns
 * `app/objects/<name>.ts` into a class that extends `createDurableObjectClass(definition)`.
 *
 * @example
 * export default defineDurableObject<{ value: number }>({
 *   init: () => ({ value: 0 }),
 *   methods: {
 *     async increment(amount = 1) {
 *       this.state.value += amount
 *       return this.state.value
 *     },
 *   },
 * })
 */
export function defineDurableObject<
  State = Record<string, unknown>,
  Env = DefaultEnv,
  Methods extends Record<string, MethodLike> = Record<string, MethodLike>,
  Memory extends object = DefaultMemory,
>(definition: DurableObjectDefinitionInput<State, Env, Methods, Memory>): DurableObjectDefinition<State, Env, MethodTable<Methods>> {
  validateDefinition(definition)
  Object.defineProperty(definition, DEFINITION_MARK, { value: true, enumerable: false })
  return definition as unknown as DurableObjectDefinition<State, Env, MethodTable<Methods>>
}

/** True for what defineDurableObject returned. */
export function isDurableObjectDefinition(value: unknown): value is DurableObjectDefinition {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, DEFINITION_MARK)
}
