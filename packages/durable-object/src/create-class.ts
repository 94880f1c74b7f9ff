import { DurableObject } from 'cloudflare:workers'
import { addClientEntryPoints } from './client-entry-points.js'
import { isDurableObjectDefinition } from './define.js'
import { DurableObjectConfigError } from './errors.js'
import { ObjectRuntime } from './object-runtime.js'
import type { DurableObjectDefinition, EnvOf, MethodsOf } from './types.js'
import { HANDLER_NAMES } from './shared/handler-names.js'

export interface ObjectClassOptions {
  /** The class name, used in error messages: 'Counter'. */
  name: string
  /** The file the definition comes from, for error messages: 'app/objects/counter.ts'. */
  file?: string
  /**
   * Only for `@cloudwerk/cli/testing`: adds the method `__cloudwerkTest` so a test can run the
   * object's alarm now. Never set in the Worker that is deployed.
   */
  testHooks?: boolean
}

/**
 * What a test can ask of an object built with `testHooks`: run its alarm now, run what is due
 * at a time (`app.runDue`), list its schedules, replace its stored
 * state with data at a version (`app.seed`), or load it and say which version it was stored at
 * (`cloudwerk objects migrate --dry-run`, on a copy of the local data).
 */
export type TestHookRequest =
  | { op: 'runAlarm' }
  | { op: 'seed'; data: unknown; version: number }
  | { op: 'loadVersion' }
  | { op: 'runDue'; at: number }
  | { op: 'schedules' }

type AnyFunction = (...args: unknown[]) => unknown

/**
 * What createDurableObjectClass returns: a DurableObject class whose instances have the
 * definition's methods when TypeScript knows them exactly (the definition was written without
 * type arguments), so `DurableObjectNamespace<Counter>` stubs are typed by them. With
 * `defineDurableObject<State>(...)` the method table is only known loosely; adding that to the
 * class would make every stub method `any` (and overwhelms workerd's RPC types), so the class
 * gets none and `cloudwerk types` generates the exact stub types instead.
 */
export type DurableObjectClass<D extends DurableObjectDefinition<any, any, any>> = new (
  ctx: DurableObjectState,
  env: EnvOf<D>,
) => DurableObject<EnvOf<D>> & ExactMethods<MethodsOf<D>>

type ExactMethods<M> = string extends keyof M ? unknown : M

/**
 * The class a generated Durable Object extends:
 *
 * @example
 * export class Counter extends createDurableObjectClass(counter, { name: 'Counter', file: 'app/objects/counter.ts' }) {}
 *
 * workerd exposes every public member of the prototype chain over RPC, so the prototype holds
 * exactly the definition's methods and handlers; the runtime sits in a #private field.
 */
export function createDurableObjectClass<D extends DurableObjectDefinition<any, any, any>>(
  definition: D,
  options: ObjectClassOptions,
): DurableObjectClass<D> {
  assertDefinition(definition, options)
  const objectName = options.name
  let runtimeOf!: (instance: object) => ObjectRuntime

  class CloudwerkDurableObject extends DurableObject {
    readonly #runtime: ObjectRuntime

    static {
      runtimeOf = (instance) => (instance as CloudwerkDurableObject).#runtime
    }

    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env as never)
      this.#runtime = new ObjectRuntime(definition as never, objectName, ctx, env)
    }
  }

  const entryPoints: Array<[string, AnyFunction]> = [
    ...Object.entries((definition.methods ?? {}) as Record<string, AnyFunction>),
    ...HANDLER_NAMES.filter((name) => name !== 'alarm' && typeof definition[name] === 'function').map((name): [string, AnyFunction] => [
      name,
      definition[name] as AnyFunction,
    ]),
  ]
  // An object that takes WebSocket messages also answers closes, even without a webSocketClose.
  if (definition.webSocketMessage && !definition.webSocketClose) entryPoints.push(['webSocketClose', () => {}])
  // The runtime owns the native alarm: every object has the handler, which runs whatever is due
  // (schedules, and the definition's own alarm() as one of them).
  Object.defineProperty(CloudwerkDurableObject.prototype, 'alarm', {
    value: Object.defineProperty(
      async function alarm(this: object) {
        await runtimeOf(this).runAlarm()
      },
      'name',
      { value: 'alarm' },
    ),
    writable: true,
    configurable: true,
  })
  for (const [name, handler] of entryPoints) {
    const call =
      name === 'webSocketClose'
        ? async function (this: object, ws: WebSocket, code: number, reason: string, wasClean: boolean) {
            try {
              return await runtimeOf(this).runTurn(name, handler, [ws, code, reason, wasClean])
            } finally {
              completeClose(ws, code, reason)
            }
          }
        : function (this: object, ...args: unknown[]) {
            return runtimeOf(this).runTurn(name, handler, args)
          }
    Object.defineProperty(call, 'name', { value: name })
    Object.defineProperty(CloudwerkDurableObject.prototype, name, { value: call, writable: true, configurable: true })
  }
  if (definition.client) addClientEntryPoints(CloudwerkDurableObject.prototype, runtimeOf, objectName)
  if (options.testHooks) {
    const alarm = definition.alarm as AnyFunction | undefined
    async function __cloudwerkTest(this: CloudwerkDurableObject, request: TestHookRequest) {
      const runtime = runtimeOf(this)
      switch (request?.op) {
        case 'runDue':
          return runtime.runDue(request.at)
        case 'schedules':
          return runtime.listSchedules()
        case 'seed':
          return runtime.seed(request.data, request.version)
        case 'loadVersion':
          return runtime.loadVersion()
        case 'runAlarm':
          // Runs the alarm as the platform would (a turn, first try) and clears the scheduled one.
          if (!alarm) throw new DurableObjectConfigError(`${objectName} has no alarm() handler to run.`)
          await runtime.runTurn(
            'alarm',
            async function (this: { ctx: { storage: DurableObjectStorage } }) {
              await this.ctx.storage.deleteAlarm()
            },
            [],
          )
          await runtime.runTurn('alarm', alarm, [{ retryCount: 0, isRetry: false }])
          return true
        default:
          throw new DurableObjectConfigError(`Unknown test request ${JSON.stringify(request)}.`)
      }
    }
    Object.defineProperty(CloudwerkDurableObject.prototype, '__cloudwerkTest', {
      value: __cloudwerkTest,
      writable: true,
      configurable: true,
    })
  }
  Object.defineProperty(CloudwerkDurableObject, 'name', { value: objectName })
  return CloudwerkDurableObject as unknown as DurableObjectClass<D>
}

/**
 * Answers the client's close frame once the handler has run, so the client's close completes
 * instead of timing out (at some compatibility dates workerd leaves that to the object). 1005
 * and 1006 only describe a close and cannot be sent, so they are answered as a normal close.
 */
export function completeClose(ws: WebSocket, code: number, reason: string): void {
  const sendable = code >= 1000 && code <= 4999 && code !== 1005 && code !== 1006 && code !== 1015
  try {
    ws.close(sendable ? code : 1000, sendable ? reason : '')
  } catch {
    // Already closed by the handler, or gone: nothing left to answer.
  }
}

function assertDefinition(definition: unknown, options: ObjectClassOptions | undefined): void {
  const name = options?.name
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new DurableObjectConfigError(
      `createDurableObjectClass: options.name must be the class name (an identifier such as 'Counter'), got ${JSON.stringify(name)}.`,
    )
  }
  if (isDurableObjectDefinition(definition)) return
  const where = options?.file ?? `the module that defines ${name}`
  throw new DurableObjectConfigError(
    `${where}: the default export must be the result of defineDurableObject(...), but it is ${describeExport(definition)}. ` +
      `Write:\n\n  import { defineDurableObject } from '@cloudwerk/durable-object'\n\n` +
      `  export default defineDurableObject({\n    init: () => ({ value: 0 }),\n    methods: {\n      async increment() { ... },\n    },\n  })\n`,
  )
}

function describeExport(value: unknown): string {
  if (value === undefined) return 'missing (no default export)'
  if (value === null) return 'null'
  if (typeof value === 'function') return `a ${/^class\b/.test(Function.prototype.toString.call(value)) ? 'class' : 'function'}`
  if (typeof value !== 'object') return `a ${typeof value}`
  const keys = Object.keys(value)
  return keys.length ? `a plain object with keys ${keys.join(', ')}` : 'an empty object'
}
