// Test harness: bundles a fixture Worker with esbuild (framework packages from source) and runs it
// in Miniflare, so every behaviour test runs in workerd, not in a Node imitation of it.
import { build } from 'esbuild'
import { WORKER_BUNDLE } from '../../packages/cli/src/pipeline/bundle.js'
import { Miniflare, type MiniflareOptions } from 'miniflare'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const COMPATIBILITY_DATE = '2026-07-01'

export interface WorkerOptions {
  /** Path of the Worker's entry module (TypeScript is fine). */
  entry: string
  /** Durable Object bindings: binding name -> exported class name. */
  durableObjects?: Record<string, string>
  /** Extra Miniflare options (bindings, kvNamespaces, ...). */
  miniflare?: Partial<MiniflareOptions>
}

export interface TestWorker {
  mf: Miniflare
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** A Durable Object namespace by binding name, callable over RPC from the test. */
  namespace(binding: string): Promise<DurableObjectNamespace>
  /**
   * Stops workerd and starts it again on the same storage: every object is evicted. With
   * `entry`, the Worker comes back with that code, as after a deploy.
   */
  restart(options?: { entry?: string }): Promise<void>
  dispose(): Promise<void>
}

/** Bundles a Worker as `cloudwerk build` does, but with the framework packages from source. */
export async function bundleWorker(entry: string, options: { minify?: boolean; sourcemap?: boolean } = {}): Promise<string> {
  const result = await build({
    ...WORKER_BUNDLE,
    conditions: ['source', ...WORKER_BUNDLE.conditions],
    entryPoints: [entry],
    write: false,
    sourcemap: options.sourcemap === false ? false : 'inline',
    minify: options.minify ?? false,
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

export async function startWorker(options: WorkerOptions): Promise<TestWorker> {
  let script = await bundleWorker(options.entry)
  const persistRoot = mkdtempSync(join(tmpdir(), 'cloudwerk-test-'))
  const config = (): MiniflareOptions =>
    ({
      modules: true,
      script,
      scriptPath: options.entry.replace(/\.ts$/, '.js'),
      compatibilityDate: COMPATIBILITY_DATE,
      cf: false,
      durableObjects: Object.fromEntries(
        Object.entries(options.durableObjects ?? {}).map(([binding, className]) => [binding, { className, useSQLite: true }]),
      ),
      durableObjectsPersist: join(persistRoot, 'do'),
      ...options.miniflare,
    }) as MiniflareOptions
  let mf = new Miniflare(config())
  try {
    await mf.ready
  } catch (error) {
    await mf.dispose().catch(() => {})
    rmSync(persistRoot, { recursive: true, force: true })
    throw error
  }
  return {
    get mf() {
      return mf
    },
    fetch: (path, init) => mf.dispatchFetch(new URL(path, 'http://test.local').href, init as never) as unknown as Promise<Response>,
    namespace: (binding) => mf.getDurableObjectNamespace(binding) as unknown as Promise<DurableObjectNamespace>,
    async restart(restartOptions = {}) {
      if (restartOptions.entry) script = await bundleWorker(restartOptions.entry)
      await mf.dispose()
      mf = new Miniflare(config())
      await mf.ready
    },
    async dispose() {
      await mf.dispose()
      rmSync(persistRoot, { recursive: true, force: true })
    },
  }
}
