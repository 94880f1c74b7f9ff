/** Bindings the object sees as `this.ctx.env` unless the definition names its own `Env`. */
export type DefaultEnv = Record<string, any>

// Methods reach each other through `this`, typed by the method table when TypeScript infers it.
// It cannot when the caller writes `defineDurableObject<State>(...)` (no partial type-argument
// inference), so there the other methods are typed loosely on `this`; callers outside get exact
// types from `cloudwerk types`.
export type AnyMethod = (...args: any[]) => any

/**
 * What a method in `methods` must be. Deliberately `Function`, which has no call signature: a
 * contextual signature such as `(...args: any[]) => any` would type the parameters of
 * `increment(amount = 1)` as `any`; with none, `amount` is `number` from its initializer, and
 * annotated parameters (`addItem(productId: string, ...)`) keep their types.
 */
export type MethodLike = Function

/** The method table a definition records: exact when inferred, loose when State was given. */
export type MethodTable<Methods> = 0 extends 1 & Methods ? any : string extends keyof Methods ? Record<string, AnyMethod> : Methods

/** A SQL parameter as SQLite storage accepts it. */
export type SqlValue = ArrayBuffer | string | number | null

/**
 * `this.ctx.sql`: the object's SQLite database. Parameters go as an array or, as on the
 * native `SqlStorage`, one after another.
 *
 * @example
 * this.ctx.sql.run('INSERT INTO events (name) VALUES (?)', [name])
 * const rows = this.ctx.sql.exec('SELECT * FROM events WHERE name = ?', name).toArray()
 */
export interface ObjectSql {
  /** Runs a statement for its effect; returns how many rows it wrote. */
  run(query: string, ...params: SqlValue[] | [SqlValue[]]): { rowsWritten: number }
  /** Runs a query and returns the native cursor (`toArray()`, `one()`, iteration). */
  exec<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(
    query: string,
    ...params: SqlValue[] | [SqlValue[]]
  ): SqlStorageCursor<T>
  /** The first row of a query, or `null` when there is none. */
  one<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(
    query: string,
    ...params: SqlValue[] | [SqlValue[]]
  ): T | null
  /** The native `SqlStorage`, for what the helpers above do not cover. */
  readonly native: SqlStorage
}

/** `this.ctx` inside an object, and the argument of `init`. */
export interface ObjectContext<Env = DefaultEnv> {
  readonly id: DurableObjectId
  readonly env: Env
  /** The native storage API (KV, transactions, alarms). */
  readonly storage: DurableObjectStorage
  readonly sql: ObjectSql
  /** Accepts a server WebSocket with the hibernation API; tags survive hibernation. */
  acceptWebSocket(ws: WebSocket, tags?: string[]): void
  getWebSockets(tag?: string): WebSocket[]
  getTags(ws: WebSocket): string[]
  waitUntil(promise: Promise<unknown>): void
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>
  /** The native `DurableObjectState`, for what this context does not cover. */
  readonly native: DurableObjectState
}

/** `this.memory` unless the definition's `memory()` says what it holds. */
export type DefaultMemory = Record<string, unknown>

/**
 * `this.schedule`: runs of this object's methods at later times, many per object on its one
 * alarm. Changes are part of the turn: committed with the state, dropped if the turn throws.
 *
 * @example
 * this.schedule.after(10 * 60_000, 'notify', [user], { key: `remind:${user}` }) // same key replaces
 * this.schedule.cancel(`remind:${user}`)
 */
export interface ObjectSchedule {
  /** Runs `method(...args)` at `when` (a Date or ms since the epoch). Returns the key. */
  at(when: Date | number, method: string, args?: unknown[], options?: { key?: string }): string
  /** Runs `method(...args)` in `ms` milliseconds. Returns the key. */
  after(ms: number, method: string, args?: unknown[], options?: { key?: string }): string
  /** Cancels the run with this key; true if one was pending. */
  cancel(key: string): boolean
  /** Pending runs (earliest first), then finished ones, each with its last runs. */
  list(): ScheduleEntry[]
}

/** One schedule as `this.schedule.list()` shows it. */
export interface ScheduleEntry {
  /** Its key; a declared schedule's name; `#alarm` for the alarm set with ctx.storage.setAlarm. */
  key: string
  method: string
  args: unknown[]
  /** When it runs next (ms since the epoch); null once finished. */
  due: number | null
  status: 'pending' | 'retrying' | 'done' | 'failed'
  /** Failed attempts of the current run. */
  attempts: number
  /** For a declared schedule: its interval in ms, or its cron expression and time zone. */
  every?: number
  cron?: string
  timezone?: string
  /** The last runs, newest first. */
  runs: Array<{ at: number; ok: boolean; error?: string; attempt: number }>
}

/** A declared schedule: `every` interval or `cron` expression, running the method `run`. */
export type ScheduleDeclaration<MethodName extends string = string> =
  | { every: string | number; cron?: never; run: MethodName; timezone?: never }
  | { cron: string; every?: never; run: MethodName; /** IANA name; UTC when left out. */ timezone?: string }

/** `this` inside `methods`, `fetch`, `alarm` and the WebSocket handlers. */
export interface ObjectThis<State, Env = DefaultEnv, Memory = DefaultMemory> {
  /** The object's state: persisted at the end of every call that changes it (and at `this.outside`). */
  state: State
  readonly ctx: ObjectContext<Env>
  readonly env: Env
  /**
   * A place in memory for this live instance (caches, per-socket sessions), shared by its calls.
   * Never saved: lost when the object is evicted or hibernates, and starts again from the
   * definition's `memory()`. Keep anything that must last in `this.state`.
   */
  readonly memory: Memory
  /**
   * Sends `message` (a string, or any value as JSON) to every accepted WebSocket but `except`:
   * when the call's changes so far are committed, or at once inside `this.outside(work)`.
   */
  broadcast(message: unknown, except?: WebSocket | WebSocket[]): void
  /**
   * Runs `work` with the object released, for a slow await (a model, a fetch, another object that
   * may call back). The call's changes so far are committed first (if that fails, `work` does not
   * run); other calls run while `work` does; then the call continues, ahead of calls queued later,
   * with `this.state` showing the latest committed state. A throw after it rolls back only what
   * changed after it. Inside `work`, `this.state` is read-only.
   *
   * @example
   * this.state.messages.push({ from: user, text })
   * const reply = await this.outside(() => askModel(text))
   * this.state.messages.push({ from: 'bot', text: reply })
   */
  outside<T>(work: () => T | Promise<T>): Promise<T>
  /** Runs of this object's methods at later times; see `ObjectSchedule`. */
  readonly schedule: ObjectSchedule
  /**
   * Who made this call, when it came from a browser (`@cloudwerk/client`): the connection's id
   * and the data the route passed to `connectClient(request, data)`. `undefined` for calls from
   * routes, alarms and WebSocket handlers.
   */
  readonly caller: Caller | undefined
}

/** `this.caller`: a browser connection (see `client` in defineDurableObject). */
export interface Caller {
  /** Unique per connection. */
  readonly id: string
  /** What the route passed to `connectClient(request, data)`. */
  readonly data: unknown
}

/**
 * What browsers connected with `@cloudwerk/client` may see and call. Everything else stays on
 * the server: keys not in `state` are never sent, methods not in `methods` are refused.
 */
export interface ClientOptions<State, Methods> {
  /** Top-level state keys sent to browsers, and kept in sync after every commit that changes them. */
  state?: ReadonlyArray<keyof State & string>
  /** Names in `methods` that browsers may call (`room.call.send(...)`). */
  methods?: ReadonlyArray<keyof Methods & string>
}

/** `this` in a definition: ObjectThis plus the object's own methods. */
export type HandlerThis<State, Env, Methods = Record<string, AnyMethod>, Memory = DefaultMemory> = ObjectThis<State, Env, Memory> &
  MethodTable<Methods> &
  ScheduleMethod<Methods>

/**
 * A method may be named `schedule` (the reference guide's Reminder has one): `this.schedule(...)`
 * then calls it, and `this.schedule.at/after/cancel/list` stay the schedule API (handler-this.ts).
 * With inferred methods, `ObjectThis['schedule'] & Methods['schedule']` already says so. With
 * `defineDurableObject<State>`, the method table is unknown and `this.<name>(...)` is accepted
 * for every name; `this.schedule(...)` is too, beside the API.
 */
type ScheduleMethod<Methods> = string extends keyof Methods ? { readonly schedule: AnyMethod } : unknown

type MethodNames<Methods> = string extends keyof Methods ? string : Extract<keyof Methods, string>

/** Minimal shape of a zod (or compatible) schema: anything with `safeParse`. */
export interface StateSchema<State> {
  safeParse(
    data: unknown,
  ):
    | { success: true; data: unknown }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } }
  /** Only for inference; never read. */
  readonly _output?: State
}

export interface AlarmInfo {
  retryCount: number
  isRetry: boolean
}

/** What `defineDurableObject` accepts. */
export type DurableObjectDefinitionInput<State, Env, Methods, Memory = DefaultMemory> = DefinitionOptions<State, Env, Methods, Memory> &
  StateVersionOptions<State>

/** Everything `defineDurableObject` accepts but `version` and `migrate`. */
export interface DefinitionOptions<State, Env, Methods, Memory = DefaultMemory> {
  /** Runs once in the object's life (nothing stored yet), at the current `version`; its result is the first state. */
  init?: (ctx: ObjectContext<Env>) => State | Promise<State>
  /** Validates the state when it is loaded and before every commit. */
  schema?: StateSchema<State>
  /** Every object is SQLite-backed; `true` is accepted for clarity, `false` is an error. */
  sqlite?: true
  /**
   * How long a call may wait for the calls queued ahead of it before failing (default 30 000).
   * Calls run one at a time per object; a call that waits this long is usually stuck in a cycle
   * (it awaits something that calls back into this same object).
   */
  queueTimeoutMs?: number
  /**
   * What `this.memory` starts as on each activation (it is never saved).
   *
   * @example
   * memory: () => ({ sessions: new Map<WebSocket, { name: string }>() }),
   */
  memory?: () => Memory
  methods?: Methods & ThisType<HandlerThis<State, Env, Methods, Memory>>
  /**
   * Recurring runs kept by name: added, changed or removed to match the code at every start,
   * never duplicated. Each run is a turn of the method named by `run`.
   *
   * @example
   * schedules: { sweep: { every: '30 minutes', run: 'sweep' }, digest: { cron: '0 9 * * *', run: 'sendDigest' } }
   */
  schedules?: Record<string, ScheduleDeclaration<NoInfer<MethodNames<Methods>>>>
  /**
   * Opt-in browser access: the state keys browsers see and the methods they may call.
   *
   * @example
   * client: { state: ['topic', 'messages'], methods: ['send'] },
   */
  client?: ClientOptions<State, Methods>
  fetch?: (this: HandlerThis<State, Env, Methods, Memory>, request: Request) => Response | Promise<Response>
  alarm?: (this: HandlerThis<State, Env, Methods, Memory>, info: AlarmInfo) => void | Promise<void>
  webSocketMessage?: (this: HandlerThis<State, Env, Methods, Memory>, ws: WebSocket, message: string | ArrayBuffer) => void | Promise<void>
  webSocketClose?: (
    this: HandlerThis<State, Env, Methods, Memory>,
    ws: WebSocket,
    code: number,
    reason: string,
    wasClean: boolean,
  ) => void | Promise<void>
  webSocketError?: (this: HandlerThis<State, Env, Methods, Memory>, ws: WebSocket, error: unknown) => void | Promise<void>
}

/** The highest `version` the types check step by step (the runtime has no limit). */
type MaxTypedVersion = 100

/** 2 | 3 | ... | V: the steps that lead to version V. */
type StepNumbers<V extends number, Count extends unknown[] = [unknown, unknown], Found = never> = Count['length'] extends V
  ? Found | V
  : StepNumbers<V, [...Count, unknown], Found | Count['length']>

/** A migration step: takes the state stored at the version before (untyped) and returns the next. */
export type MigrationStep<Next = unknown> = (old: any) => Next | Promise<Next>

/** The steps up to version V: every one present, and the last one returning State. */
export type MigrationSteps<State, V extends number> = {
  [K in StepNumbers<V>]: K extends V ? MigrationStep<NoInfer<State>> : MigrationStep
}

/**
 * `version` and `migrate`, as one union discriminated by `version`: with `version: 3`, `migrate`
 * must have the steps 2 and 3, and step 3 must return State (the number itself says which step
 * is last, so this works when State is given as a type argument and nothing can be inferred).
 */
export type StateVersionOptions<State> =
  // Two members for version 1, so that every member's `version` is a single value: TypeScript
  // then picks the member by it and reports errors against that member alone.
  | { version?: undefined; migrate?: undefined }
  | {
      /** The version of the state's shape (default 1). Objects stored at an older one are migrated on load. */
      version: 1
      migrate?: undefined
    }
  | {
      [V in StepNumbers<MaxTypedVersion>]: {
        /** The version of the state's shape (default 1). Objects stored at an older one are migrated on load. */
        version: V
        /**
         * `migrate[n]` turns a state stored at version n - 1 into version n. Steps run in order,
         * before any call; the result is validated by `schema` and stored in one transaction.
         */
        migrate: MigrationSteps<State, V>
      }
    }[StepNumbers<MaxTypedVersion>]

declare const definitionBrand: unique symbol

/** What `defineDurableObject` returns: the input, checked and branded for the build. */
export type DurableObjectDefinition<State = unknown, Env = DefaultEnv, Methods = Record<string, AnyMethod>> = DurableObjectDefinitionInput<
  State,
  Env,
  Methods
> & {
  readonly [definitionBrand]: { state: State; env: Env; methods: Methods }
}

/** The method table of a definition, as typed by its author (exact when inferred). */
export type MethodsOf<D> = D extends { readonly [definitionBrand]: { methods: infer M } } ? M : never
export type StateOf<D> = D extends { readonly [definitionBrand]: { state: infer S } } ? S : never
export type EnvOf<D> = D extends { readonly [definitionBrand]: { env: infer E } } ? E : never
