import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CloudwerkObjects, ObjectStub } from '@cloudwerk/core/bindings'
import type { ScheduleEntry, TestHookRequest } from '@cloudwerk/durable-object'
import type { ObjectEntry } from '../pipeline/manifest.js'
import type { BridgeCall } from './bridge.js'
import { launchWithHooks } from './launch.js'

/** A stub of an object under test: its methods, typed as callers see them. */
export type TestStub<Name extends keyof CloudwerkObjects> = Omit<ObjectStub<CloudwerkObjects[Name]>, 'fetch' | 'id' | 'name'>

/** `app.objects.Counter.getByName('a')`, or `.get(id)` with an id string from `idFromName(...).toString()`. */
export type TestObjects = {
  readonly [Name in keyof CloudwerkObjects]: {
    getByName(name: string): TestStub<Name>
    get(id: string): TestStub<Name>
  }
}

export interface TestApp {
  /** Sends a request to the app, e.g. `app.fetch('/api/counter/a', { method: 'POST' })`. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** The app's objects, callable directly: `await app.objects.Counter.getByName('a').increment()`. */
  objects: TestObjects
  /** Runs the object's `alarm()` now, as the platform would (one turn, first try), and clears the scheduled alarm. */
  runAlarm(stub: object): Promise<void>
  /**
   * Replaces the object's stored state with `data`, stored at `version` as an older deploy would
   * have left it, so the next call runs the object's `migrate` steps from there (in workerd).
   *
   * @example
   * const doc = app.objects.Doc.getByName('old')
   * await app.seed(doc, { name: 'Ada' }, { version: 1 })
   * expect(await doc.read()).toEqual({ title: 'Ada', tags: [] })
   */
  seed(stub: object, data: Record<string, unknown>, options: { version: number }): Promise<void>
  /**
   * Runs what is due at `at` (schedules, and the object's own alarm), as the alarm would at that
   * time, so tests never sleep. Returns how many runs it took.
   *
   * @example
   * await auction.open('lamp', 10)
   * await app.runDue(auction, { at: new Date(Date.now() + 11 * 60_000) })
   */
  runDue(stub: object, options: { at: Date | number }): Promise<number>
  /** The object's schedules, as `this.schedule.list()` shows them. */
  schedules(stub: object): Promise<ScheduleEntry[]>
  /** Restarts workerd on the same storage: every object is evicted and reloads its state. */
  evict(): Promise<void>
  /** Stops workerd and deletes the test's storage. */
  close(): Promise<void>
}

const TARGET = Symbol('cloudwerk test target')

export interface TestAppOptions {
  /** The app's folder (default: the current folder). */
  root?: string
  /**
   * Vars for this test run, over those of wrangler.jsonc and .dev.vars: the address of a
   * service the test started, for example.
   */
  vars?: Record<string, string>
}

/**
 * Builds the app in `root` (default: the current folder) and runs it in workerd with fresh,
 * private storage, for tests of routes and objects in the real runtime.
 *
 * @example
 * const app = await startTestApp()
 * const counter = app.objects.Counter.getByName('test')
 * expect(await counter.increment(2)).toBe(2)
 * await app.evict()
 * expect(await counter.getValue()).toBe(2)
 * await app.close()
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const root = options.root ?? process.cwd()
  const storage = mkdtempSync(join(tmpdir(), 'cloudwerk-test-'))
  const launched = await launchWithHooks(root, storage, { vars: options.vars })
  const { manifest, call } = launched
  return {
    fetch: (path, init) => launched.mf.dispatchFetch(new URL(path, 'http://localhost').href, init as never) as unknown as Promise<Response>,
    objects: Object.fromEntries(manifest.objects.map((o) => [o.className, testNamespace(o, call)])) as unknown as TestObjects,
    async runAlarm(stub) {
      await call({
        ...targetOf(stub, 'runAlarm(app.objects.Reminder.getByName("r1"))'),
        method: '__cloudwerkTest',
        args: [{ op: 'runAlarm' }],
      })
    },
    async runDue(stub, options) {
      const at = options?.at instanceof Date ? options.at.getTime() : options?.at
      if (typeof at !== 'number' || !Number.isFinite(at))
        throw new TypeError('runDue needs the time to run at: app.runDue(stub, { at: new Date(...) }).')
      return (await call({
        ...targetOf(stub, 'runDue(app.objects.Reminder.getByName("r1"), { at: new Date() })'),
        method: '__cloudwerkTest',
        args: [{ op: 'runDue', at }],
      })) as number
    },
    async schedules(stub) {
      return (await call({
        ...targetOf(stub, 'schedules(app.objects.Reminder.getByName("r1"))'),
        method: '__cloudwerkTest',
        args: [{ op: 'schedules' }],
      })) as ScheduleEntry[]
    },
    async seed(stub, data, options) {
      const request: TestHookRequest = { op: 'seed', data, version: options?.version }
      await call({
        ...targetOf(stub, 'seed(app.objects.Doc.getByName("old"), { name: "Ada" }, { version: 1 })'),
        method: '__cloudwerkTest',
        args: [request],
      })
    },
    evict: () => launched.restart(),
    async close() {
      await launched.mf.dispose()
      rmSync(storage, { recursive: true, force: true })
    },
  }
}

function targetOf(stub: object, example: string): Omit<BridgeCall, 'method' | 'args'> {
  const target = (stub as { [TARGET]?: Omit<BridgeCall, 'method' | 'args'> })[TARGET]
  if (!target) throw new TypeError(`${example.slice(0, example.indexOf('('))} takes a stub from app.objects, e.g. app.${example}.`)
  return target
}

function testNamespace(object: ObjectEntry, call: (request: BridgeCall) => Promise<unknown>) {
  // A stub only names its object; each call goes through the bridge of the current workerd, so a
  // stub made before `evict()` keeps working after it.
  const stubFor = (target: Omit<BridgeCall, 'method' | 'args'>) =>
    new Proxy(
      { [TARGET]: target },
      {
        get: (self, method) =>
          method === TARGET
            ? self[TARGET]
            : typeof method === 'string' && method !== 'then'
              ? (...args: unknown[]) => call({ ...target, method, args })
              : undefined,
      },
    )
  return {
    getByName: (name: string) => stubFor({ binding: object.binding, name }),
    get: (id: string | { toString(): string }) => stubFor({ binding: object.binding, id: String(id) }),
  }
}
