import * as esbuild from 'esbuild'
import { Miniflare, type MiniflareOptions } from 'miniflare'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CloudwerkObjects, ObjectNamespace } from '@cloudwerk/core/bindings'
import { bundleOptions } from '../build/bundle.js'
import { prepareApp } from '../build/index.js'
import { findConfig } from '../build/wrangler-config.js'
import { wranglerWorkerOptions } from '../dev/wrangler-options.js'

export interface TestApp {
  /** Sends a request to the app, e.g. `app.fetch('/api/counter/a', { method: 'POST' })`. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** Typed namespaces of the app's objects, callable directly: `app.objects.Counter.getByName('a').increment()`. */
  objects: { [K in keyof CloudwerkObjects]: ObjectNamespace<CloudwerkObjects[K]> }
  /** Restarts workerd on the same storage: every object is evicted and reloads its state. */
  evict(): Promise<void>
  /** Stops workerd and deletes the test's storage. */
  close(): Promise<void>
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
export async function startTestApp(options: { root?: string } = {}): Promise<TestApp> {
  const root = options.root ?? process.cwd()
  const { manifest, entry } = await prepareApp(root)
  const storage = mkdtempSync(join(tmpdir(), 'cloudwerk-test-'))
  const script = join(storage, 'index.js')
  await esbuild.build({ ...bundleOptions(root, entry), outfile: script, metafile: false })
  const configPath = findConfig(root)
  const fromConfig = configPath ? await wranglerWorkerOptions(root, configPath) : {}
  const config: MiniflareOptions = {
    ...fromConfig,
    modules: true,
    // Module names are paths relative to this root, and workerd refuses names that climb out of it.
    modulesRoot: storage,
    scriptPath: script,
    cf: false,
    durableObjectsPersist: join(storage, 'do'),
    kvPersist: join(storage, 'kv'),
    d1Persist: join(storage, 'd1'),
    r2Persist: join(storage, 'r2'),
  } as MiniflareOptions
  let mf = new Miniflare(config)
  await mf.ready
  const namespaces = new Map<string, Promise<unknown>>()
  const objects = Object.fromEntries(
    manifest.objects.map((o) => [o.className, lazyNamespace(() => {
      if (!namespaces.has(o.binding)) namespaces.set(o.binding, mf.getDurableObjectNamespace(o.binding))
      return namespaces.get(o.binding)!
    })]),
  )
  return {
    fetch: (path, init) => mf.dispatchFetch(new URL(path, 'http://localhost').href, init as never) as unknown as Promise<Response>,
    objects: objects as TestApp['objects'],
    async evict() {
      await mf.dispose()
      namespaces.clear()
      mf = new Miniflare(config)
      await mf.ready
    },
    async close() {
      await mf.dispose()
      rmSync(storage, { recursive: true, force: true })
    },
  }
}

/**
 * A namespace whose stubs resolve the real Miniflare namespace on each call, so stubs made
 * before `evict()` keep working after it (the test holds one stub across restarts).
 */
function lazyNamespace(resolveNamespace: () => Promise<unknown>) {
  type Native = { idFromName(n: string): unknown; idFromString(s: string): unknown; newUniqueId(): unknown; get(id: unknown): Record<string, (...a: unknown[]) => Promise<unknown>> }
  const call = async (pick: (ns: Native) => unknown, method: string, args: unknown[]) => {
    const ns = (await resolveNamespace()) as Native
    const stub = ns.get(pick(ns)) as Record<string, (...a: unknown[]) => Promise<unknown>>
    return stub[method](...args)
  }
  const stubFor = (pick: (ns: Native) => unknown) =>
    new Proxy({}, { get: (_, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(pick, method, args) : undefined) })
  return {
    getByName: (name: string) => stubFor((ns) => ns.idFromName(name)),
    get: (id: { toString(): string }) => stubFor((ns) => ns.idFromString(id.toString())),
  }
}
