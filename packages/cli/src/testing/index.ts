import * as esbuild from 'esbuild'
import { Miniflare, type MiniflareOptions } from 'miniflare'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CloudwerkObjects, ObjectStub } from '@cloudwerk/core/bindings'
import { bundleOptions } from '../build/bundle.js'
import { prepareApp } from '../build/index.js'
import type { ObjectEntry } from '../build/manifest.js'
import { findConfig } from '../build/wrangler-config.js'
import { writeEntry } from '../build/write-entry.js'
import { wranglerWorkerOptions } from '../dev/wrangler-options.js'
import { BRIDGE_SCRIPT, callThroughBridge, type BridgeCall } from './bridge.js'

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
  /** Restarts workerd on the same storage: every object is evicted and reloads its state. */
  evict(): Promise<void>
  /** Stops workerd and deletes the test's storage. */
  close(): Promise<void>
}

const APP = 'app'
const BRIDGE = 'cloudwerk-test-bridge'
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
  const { manifest } = await prepareApp(root)
  const entry = writeEntry(manifest, { testHooks: true })
  const storage = mkdtempSync(join(tmpdir(), 'cloudwerk-test-'))
  const script = join(storage, 'index.js')
  await esbuild.build({ ...bundleOptions(root, entry), outfile: script, metafile: false })
  const configPath = findConfig(root)
  const fromConfig = configPath ? await wranglerWorkerOptions(root, configPath) : {}
  const config = {
    cf: false,
    durableObjectsPersist: join(storage, 'do'),
    kvPersist: join(storage, 'kv'),
    d1Persist: join(storage, 'd1'),
    r2Persist: join(storage, 'r2'),
    workers: [
      {
        ...fromConfig,
        bindings: { ...(fromConfig as { bindings?: Record<string, unknown> }).bindings, ...options.vars },
        name: APP,
        modules: true,
        // Module names are paths relative to this root, and workerd refuses names that climb out of it.
        modulesRoot: storage,
        scriptPath: script,
      },
      {
        name: BRIDGE,
        modules: true,
        script: BRIDGE_SCRIPT,
        compatibilityDate: (fromConfig as { compatibilityDate?: string }).compatibilityDate ?? '2026-07-01',
        durableObjects: Object.fromEntries(manifest.objects.map((o) => [o.binding, { className: o.className, scriptName: APP }])),
      },
    ],
  } as MiniflareOptions
  let mf = new Miniflare(config)
  await mf.ready
  const call = async (request: BridgeCall) => callThroughBridge((await mf.getWorker(BRIDGE)) as never, request)
  return {
    fetch: (path, init) => mf.dispatchFetch(new URL(path, 'http://localhost').href, init as never) as unknown as Promise<Response>,
    objects: Object.fromEntries(manifest.objects.map((o) => [o.className, testNamespace(o, call)])) as unknown as TestObjects,
    async runAlarm(stub) {
      const target = (stub as { [TARGET]?: Omit<BridgeCall, 'method' | 'args'> })[TARGET]
      if (!target) throw new TypeError('runAlarm takes a stub from app.objects, e.g. app.runAlarm(app.objects.Reminder.getByName("r1")).')
      await call({ ...target, method: '__cloudwerkTest', args: [{ op: 'runAlarm' }] })
    },
    async evict() {
      await mf.dispose()
      mf = new Miniflare(config)
      await mf.ready
    },
    async close() {
      await mf.dispose()
      rmSync(storage, { recursive: true, force: true })
    },
  }
}

function testNamespace(object: ObjectEntry, call: (request: BridgeCall) => Promise<unknown>) {
  // A stub only names its object; each call goes through the bridge of the current workerd, so a
  // stub made before `evict()` keeps working after it.
  const stubFor = (target: Omit<BridgeCall, 'method' | 'args'>) =>
    new Proxy({ [TARGET]: target }, {
      get: (self, method) =>
        method === TARGET ? self[TARGET] : typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call({ ...target, method, args }) : undefined,
    })
  return {
    getByName: (name: string) => stubFor({ binding: object.binding, name }),
    get: (id: string | { toString(): string }) => stubFor({ binding: object.binding, id: String(id) }),
  }
}
