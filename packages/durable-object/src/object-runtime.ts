import { readDeclaredSchedules } from './declared-schedules.js'
import { ClientSync } from './client-sync.js'
import { DurableObjectConfigError, DurableObjectError, DurableObjectStateError } from './errors.js'
import { createHandlerThis } from './handler-this.js'
import { copyJsonData, detachResult } from './json-data.js'
import { migrateState, type Versioning } from './migrate-state.js'
import { createObjectContext, prepareBroadcast } from './object-context.js'
import { reportTurnError } from './report-turn-error.js'
import { ObjectSchedules, USER_ALARM_KEY } from './object-schedules.js'
import type { ScheduleRow } from './schedule-table.js'
import { StateStore, type StateRow } from './state-store.js'
import { TrackedState, unwrapResult, unwrapState } from './tracked-state.js'
import { createTurn, type Turn } from './turn.js'
import { DEFAULT_QUEUE_TIMEOUT_MS, TurnQueue } from './turn-queue.js'
import type { Caller, DurableObjectDefinitionInput, ObjectContext, ScheduleEntry } from './types.js'
import { validateState } from './validate-state.js'

type AnyFunction = (...args: unknown[]) => unknown
type Definition = DurableObjectDefinitionInput<unknown, unknown, Record<string, AnyFunction>>

/**
 * One live object: its state, its turns, its `this`. The generated class keeps one of these in
 * a #private field and sends every entry point through `runTurn`.
 *
 * A turn: wait for the turns ahead (TurnQueue), make sure the state is loaded, run the handler,
 * then commit what it decided (`#commitTurn`) in one synchronous SQLite transaction. The write
 * happens before the handler's result is handed back, and workerd's output gate holds that
 * result until the write is durable. A turn that throws commits nothing and re-reads the keys
 * it changed.
 *
 * `this.outside(work)` splits a call into segments: what the call did so far is committed as if
 * it ended there, the object is released while `work` runs, and the call comes back in (ahead of
 * calls queued later) for a new segment, committed or rolled back on its own.
 */
export class ObjectRuntime {
  readonly #definition: Definition
  readonly #objectName: string
  readonly #ctx: ObjectContext<unknown>
  readonly #store: StateStore
  readonly #state: TrackedState
  readonly #queue: TurnQueue
  readonly #thisFor: (turn: Turn) => object
  readonly #native: DurableObjectState
  readonly #schedules: ObjectSchedules
  /** The sweep of due runs under way: one at a time (the alarm and a test's runDue may meet). */
  #sweep: Promise<unknown> = Promise.resolve()
  #loaded = false
  #loadFailure: { error: unknown } | undefined
  /** The version the state was stored at when it was loaded (undefined: a new object, init ran). */
  #loadedFrom: number | undefined
  #wiped = false
  /** Browser connections (`client` in the definition), see client-sync.ts. */
  readonly clientSync: ClientSync | undefined

  constructor(definition: Definition, objectName: string, native: DurableObjectState, env: unknown) {
    this.#definition = definition
    this.#objectName = objectName
    this.#native = native
    const declared = readDeclaredSchedules(definition.schedules, definition.methods ?? {})
    this.#schedules = new ObjectSchedules(objectName, native.storage, definition.methods ?? {}, Array.isArray(declared) ? declared : [])
    this.#ctx = createObjectContext(native, env, () => (this.#wiped = true), this.#schedules.userAlarm(Boolean(definition.alarm)))
    this.#store = new StateStore(native.storage, objectName)
    this.#state = new TrackedState(objectName)
    this.#queue = new TurnQueue(objectName, definition.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS)
    this.#thisFor = createHandlerThis({
      objectName,
      state: this.#state,
      ctx: this.#ctx,
      memory: createMemory(definition, objectName),
      broadcast: (turn, message, except) => this.#broadcast(turn, message, except),
      outside: (turn, work) => this.#outside(turn, work),
      schedule: (turn) => this.#schedules.apiFor(turn),
      methods: definition.methods ?? {},
    })
    this.clientSync = definition.client
      ? new ClientSync({
          objectName,
          native,
          client: definition.client as { state?: string[]; methods?: string[] },
          methods: definition.methods ?? {},
          readState: () => this.#state.raw,
          storedItems: (key) => this.#store.storedItems(key),
          runTurn: (label, handler, args, caller) => this.runTurn(label, handler, args, caller),
        })
      : undefined
    // Load (or init) before any event is delivered: two first calls cannot both run init.
    // A failure is kept for the first turn to report, rather than breaking the constructor.
    void native.blockConcurrencyWhile(() =>
      this.#load().catch((error: unknown) => {
        this.#loadFailure = { error }
      }),
    )
  }

  /** Runs `handler` (a method or a handler of the definition) as one turn with `this` bound. */
  runTurn(label: string, handler: AnyFunction, args: unknown[], caller?: Caller): Promise<unknown> {
    return this.#runTurn(label, () => ({ handler, args }), caller)
  }

  /** A turn whose handler `start` picks once the call holds the object (none: nothing runs). */
  #runTurn(label: string, start: (turn: Turn) => { handler: AnyFunction; args: unknown[] } | undefined, caller?: Caller): Promise<unknown> {
    return this.#queue.run(label, async (slot) => {
      if (!this.#loaded) await this.#ensureLoaded()
      const turn = createTurn(slot)
      turn.caller = caller
      const call = start(turn)
      if (!call) return NOTHING_DUE
      this.#state.setInTurn(true)
      try {
        let result: unknown
        try {
          result = await call.handler.apply(this.#thisFor(turn), call.args)
        } finally {
          // A call that ends while work it gave this.outside still runs (not awaited) ends once back inside.
          if (turn.phase === 'outside') await turn.back
        }
        this.#commitTurn(turn)
        return detachResult(result, unwrapResult)
      } catch (error) {
        this.#rollback()
        reportTurnError(this.#objectName, label, error, this.#ctx.env)
        throw error
      } finally {
        this.#state.setInTurn(false)
        turn.phase = 'ended'
        if (!this.#loaded) await this.#showNewLife()
      }
    })
  }

  /**
   * After a turn ended the object's life (`storage.deleteAll()`), connected browsers would go on
   * showing the old state. With browsers connected, the new life starts now (init runs, as the
   * next call would run it) and the load sends them its state. Without, nothing is written: the
   * storage stays empty until the next call, whose load does the same.
   */
  async #showNewLife(): Promise<void> {
    if (!this.clientSync?.hasBrowsers()) return
    try {
      await this.#ensureLoaded()
    } catch (error) {
      // The next call loads again and reports its own failure; this one only tells the log.
      reportTurnError(this.#objectName, 'init', error, this.#ctx.env)
    }
  }

  /** `this.broadcast`: part of the segment running (sent on commit, dropped on failure), or sent now from outside work. */
  #broadcast(turn: Turn, message: unknown, except?: WebSocket | WebSocket[]): void {
    const send = prepareBroadcast(this.#native, message, except)
    if (turn.phase === 'inside') turn.outbox.push(send)
    else send()
  }

  /**
   * Commits the turn so far: the state rows it changed (validated first) and the other writes it
   * decided, in one transaction, then sends its broadcasts. Throws before writing anything when
   * the state cannot be stored. Runs when a call ends and when it steps out (`this.outside`).
   */
  #commitTurn(turn: Turn): void {
    let publish: (() => void) | undefined
    if (!this.#endLifeIfWiped()) {
      const rows = this.#prepareStateRows()
      publish = this.clientSync?.prepare(rows)
      const writes = turn.writes
      if (rows.length > 0 || writes.length > 0) {
        const write = () => {
          for (const run of writes) run()
          // Last: the store records what is stored once its writes are done, so a write above
          // that fails (rolling the transaction back) leaves that record as the database is.
          if (rows.length > 0) this.#store.write(rows)
        }
        if (writes.length > 0) this.#native.storage.transactionSync(write)
        else write()
        // The writes may have added, cancelled or finished runs: the alarm follows the earliest.
        if (writes.length > 0) this.#schedules.syncAlarm()
      }
      this.#state.markClean()
    }
    const sends = turn.outbox
    turn.writes = []
    turn.outbox = []
    // Sent after the write, so the output gate holds them until it is durable: no client
    // hears of a change that a crash could still lose.
    for (const send of sends) send()
    publish?.()
  }

  /**
   * The native alarm fired: run what is due. On Cloudflare it fires at the time it was set for or
   * later; a test may fire it early (vitest-pool-workers' runDurableObjectAlarm), and then what
   * was due at that time runs, as it would have then.
   */
  runAlarm(): Promise<number> {
    const armedFor = this.#schedules.alarmFired()
    return this.runDue(Math.max(Date.now(), armedFor ?? 0))
  }

  /**
   * Runs every schedule due at `now`, earliest first, each as its own turn (other calls may come
   * between them). A run that throws is retried later or recorded as failed; it never stops the
   * others. Returns how many runs were taken.
   */
  runDue(now: number): Promise<number> {
    const sweep = this.#sweep.then(async () => {
      const taken = new Set<string>()
      while (await this.#runNextDue(now, taken));
      await this.#queue.run('schedule', async () => this.#loaded && this.#schedules.syncAlarm())
      return taken.size
    })
    this.#sweep = sweep.catch(() => {})
    return sweep
  }

  /** Every schedule, as `this.schedule.list()` shows it between calls. */
  listSchedules(): Promise<ScheduleEntry[]> {
    return this.#queue.run('schedules', async () => {
      if (!this.#loaded) await this.#ensureLoaded()
      return this.#schedules.list()
    })
  }

  /** Takes the earliest run due at `now` and runs it as a turn; false when none is left. */
  async #runNextDue(now: number, taken: Set<string>): Promise<boolean> {
    // A run ended the object's life (storage.deleteAll()): what was pending went with it.
    if (taken.size > 0 && !this.#loaded) return false
    let row: ScheduleRow | undefined
    let missing = false
    try {
      const outcome = await this.#runTurn('schedule', (turn) => {
        row = this.#schedules.table.nextDue(now, taken)
        if (!row) return undefined
        taken.add(row.key)
        const handler = (row.key === USER_ALARM_KEY ? this.#definition.alarm : this.#definition.methods?.[row.method]) as
          AnyFunction | undefined
        if ((missing = !handler))
          throw new DurableObjectError(`${this.#objectName} has no method ${row.method} any more (it was scheduled by older code)`)
        this.#schedules.completeWith(turn, row, now)
        return {
          handler,
          args:
            row.key === USER_ALARM_KEY ? [{ retryCount: row.attempts, isRetry: row.attempts > 0 }] : (JSON.parse(row.args) as unknown[]),
        }
      })
      return outcome !== NOTHING_DUE
    } catch (error) {
      if (!row) throw error
      // A method the code no longer has cannot succeed later either.
      if (this.#loaded) this.#schedules.recordFailure(row, error, now, { final: missing })
      // A scheduled run has no caller to hear of its failure: it is always logged.
      const which = row.key === USER_ALARM_KEY ? 'the alarm' : `schedule "${row.key}"`
      console.error(`[cloudwerk] ${this.#objectName}.${row.method}() failed:`, error, `(${which}, attempt ${row.attempts + 1})`)
      return true
    }
  }

  /**
   * `this.outside(work)`: commit the segment, release the object while `work` runs, come back in
   * for a new segment. Outcome of `work` is handed back only once the call holds the object again.
   */
  async #outside(turn: Turn, work: unknown): Promise<unknown> {
    if (typeof work !== 'function') {
      throw new DurableObjectError(
        `${this.#objectName}: this.outside(work) takes a function that returns a promise, got ${work === null ? 'null' : typeof work}. ` +
          'Write: const reply = await this.outside(() => fetch(url)).',
      )
    }
    if (turn.phase === 'inside') this.#stepOut(turn)
    const back = turn.back!
    turn.outsideWorks++
    let outcome: { value: unknown } | { error: unknown }
    try {
      outcome = { value: await work() }
    } catch (error) {
      outcome = { error }
    }
    if (--turn.outsideWorks === 0) turn.worksDone?.()
    await back
    if ('error' in outcome) throw outcome.error
    return outcome.value
  }

  #stepOut(turn: Turn): void {
    // Rule: if this commit fails, work does not run and the call is still inside its segment.
    this.#commitTurn(turn)
    turn.phase = 'outside'
    turn.back = new Promise<void>((resolve) => (turn.worksDone = resolve)).then(() => this.#stepIn(turn))
    this.#state.retireViews()
    this.#state.setInTurn(false)
    this.#queue.release(turn.slot)
  }

  async #stepIn(turn: Turn): Promise<void> {
    await this.#queue.resume(turn.slot)
    turn.phase = 'inside'
    this.#state.setInTurn(true)
    // Another call may have wiped the storage meanwhile: the rest of this call starts a new life.
    if (!this.#loaded) await this.#ensureLoaded()
  }

  async #ensureLoaded(): Promise<void> {
    const failure = this.#loadFailure
    if (failure) {
      // Report the constructor's failure once; the next turn tries to load again.
      this.#loadFailure = undefined
      throw failure.error
    }
    await this.#load()
  }

  async #load(): Promise<void> {
    this.#store.createTables()
    let root: Record<string, unknown>
    if (this.#store.isInitialized()) {
      root = this.#store.readAll()
      const stored = (this.#loadedFrom = this.#store.readVersion())
      if (stored === this.#version) validateState(this.#objectName, this.#definition.schema, root, 'load')
      else root = await migrateState(this.#objectName, this.#definition as Versioning, this.#store, root, stored)
    } else {
      this.#loadedFrom = undefined
      root = await this.#initialize()
    }
    await this.#schedules.reconcile(Date.now())
    this.#state.load(root)
    this.#loaded = true
    this.clientSync?.sendNewLife()
  }

  async #initialize(): Promise<Record<string, unknown>> {
    const initial = this.#definition.init ? await this.#definition.init(this.#ctx) : {}
    if (initial === null || typeof initial !== 'object' || Array.isArray(initial)) {
      throw new DurableObjectStateError(
        `${this.#objectName}: init() must return the first state as a plain object, but returned ` +
          `${Array.isArray(initial) ? 'an array' : String(initial)}. For example: init: () => ({ value: 0 }).`,
        'state',
      )
    }
    const root = copyJsonData(initial, 'state', unwrapState, this.#objectName) as Record<string, unknown>
    validateState(this.#objectName, this.#definition.schema, root, 'init')
    const rows = Object.keys(root).map((key) => this.#store.serialize(key, root[key]))
    // A new object starts at the current version (none recorded means version 1).
    if (this.#version === 1) this.#store.write(rows, { initialized: true })
    else this.#store.writeMigration(rows, this.#version, { initialized: true })
    return root
  }

  get #version(): number {
    return (this.#definition as Versioning).version ?? 1
  }

  /** Loads the state (migrating it) in a turn; says the version it was stored at and the current one. */
  loadVersion(): Promise<{ from: number | null; to: number }> {
    return this.#queue.run('loadVersion', async () => {
      if (!this.#loaded) await this.#ensureLoaded()
      return { from: this.#loadedFrom ?? null, to: this.#version }
    })
  }

  /**
   * `app.seed(stub, data, { version })` in tests: replaces the stored state with `data` at
   * `version`, as an older deploy would have left it. The next call loads it (and migrates it).
   */
  seed(data: unknown, version: number): Promise<void> {
    return this.#queue.run('seed', async () => {
      if (data === null || typeof data !== 'object' || Array.isArray(data) || !Number.isSafeInteger(version) || version < 1) {
        throw new TypeError(
          `${this.#objectName}: seed takes the stored state as a plain object and a version from 1 up, e.g. app.seed(stub, { name: 'a' }, { version: 1 }).`,
        )
      }
      const root = copyJsonData(data, 'state', unwrapState, this.#objectName) as Record<string, unknown>
      this.#store.createTables()
      this.#store.writeSeed(root, version)
      this.#loadFailure = undefined
      this.#loaded = false
      this.#state.load({})
    })
  }

  /** The rows of the keys the segment changed, validated and serialized: throws before any write. */
  #prepareStateRows(): StateRow[] {
    const dirty = this.#state.dirtyKeys
    if (dirty.size === 0) return []
    const hole = this.#state.findHole()
    if (hole) {
      throw new DurableObjectStateError(
        `${this.#objectName}: ${hole} is a hole in an array (JSON would store null there). Nothing was saved. ` +
          'Remove items with splice/pop/shift instead of delete, or assign null.',
        hole,
      )
    }
    const root = this.#state.raw
    validateState(this.#objectName, this.#definition.schema, root, 'commit')
    // Serialize every row first: a value that is too large fails before anything is written.
    return [...dirty].map((key) =>
      Object.hasOwn(root, key)
        ? this.#store.serialize(key, root[key], this.#state.changedFrom(key), this.#state.droppedFront(key))
        : { key, json: null },
    )
  }

  #rollback(): void {
    if (this.#endLifeIfWiped()) return
    for (const key of this.#state.dirtyKeys) this.#state.restore(key, this.#store.readKey(key))
    this.#state.markClean()
  }

  /**
   * `ctx.storage.deleteAll()` erased everything, our rows included: the object's life is over.
   * Drop the in-memory state without writing; the next turn starts a new life and runs `init`.
   */
  #endLifeIfWiped(): boolean {
    if (!this.#wiped) return false
    this.#wiped = false
    this.#loaded = false
    this.clientSync?.endLife()
    this.#store.forgetAll()
    this.#schedules.forgetAll()
    this.#state.load({})
    return true
  }
}

/** What a scheduled turn returns when nothing was due. */
const NOTHING_DUE = Symbol('nothing due')

/** `this.memory`: what the definition's `memory()` returns, or an empty object. */
function createMemory(definition: Definition, objectName: string): object {
  const memory = definition.memory ? definition.memory() : {}
  if (memory === null || typeof memory !== 'object') {
    throw new DurableObjectConfigError(
      `${objectName}: memory() must return an object (this.memory), but returned ${String(memory)}. ` +
        'For example: memory: () => ({ sessions: new Map() }).',
    )
  }
  return memory
}
