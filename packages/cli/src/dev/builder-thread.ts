// The build half of `cloudwerk dev`, on a worker thread (started by builder.ts). Loading the build
// code and building take a few hundred ms; here they run beside the main thread's load of
// Miniflare instead of before it. Replies are plain data: the manifest, both bundles' results and
// the Miniflare options from wrangler.jsonc.
import type { BuildFailure } from 'esbuild'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { isUserError } from '../util/errors.js'
import type { BuilderData, BuilderReply, BuilderRequest, DevBuildResult } from './builder.js'
import type { createDevBundles } from './bundles.js'
import type { ClientBuild, createClientBundles } from './client-bundles.js'
import { readLastBuild, saveLastBuild } from './last-build.js'

const { root, environment } = workerData as BuilderData
let bundles: Awaited<ReturnType<typeof createDevBundles>> | undefined
let clientBundles: ReturnType<typeof createClientBundles> | undefined
let firstBuild = true
/** The objects bundle workerd was started with, when that was the last build (not a change). */
let startedWith: string | undefined

async function build(): Promise<DevBuildResult> {
  if (firstBuild) {
    firstBuild = false
    const last = readLastBuild(root, environment)
    if (last) {
      startedWith = last.objectsHash
      return { ...last, objectsChanged: true, reused: true, client: await buildClient() }
    }
  }
  // Loaded here, not above: a start from the last build does without them.
  const [{ prepareApp }, { saveConfig }, { createDevBundles }, { configWorkerOptions }] = await Promise.all([
    import('../pipeline/index.js'),
    import('../wrangler/config.js'),
    import('./bundles.js'),
    import('./wrangler-options.js'),
  ])
  // wrangler.jsonc is saved once the bundles have built, as `cloudwerk build` does (see buildApp).
  const prepared = await prepareApp(root)
  bundles ??= await createDevBundles(root, prepared.manifest, { objectsHash: startedWith })
  const [{ inputs, ...built }, client] = await Promise.all([bundles.build(prepared.manifest), buildClient()])
  saveConfig(prepared.config)
  const { options, notes } = await configWorkerOptions(root, environment)
  const result: DevBuildResult = { manifest: prepared.manifest, objectsFile: bundles.objectsFile, ...built, config: options, notes }
  // After the reply, so the start does not wait for it; a build that cannot be recorded only
  // means the next start builds.
  setImmediate(() => {
    try {
      saveLastBuild(root, environment, result, inputs)
    } catch {}
  })
  return { ...result, client }
}

/** client/'s bundles; loaded only for an app that has client/. */
async function buildClient(): Promise<ClientBuild | undefined> {
  if (!clientBundles) {
    // (The folder's name spelled out: importing it from bundle-client.js would load esbuild.)
    if (!existsSync(join(root, 'client'))) return undefined
    const { createClientBundles } = await import('./client-bundles.js')
    clientBundles = createClientBundles(root)
  }
  return clientBundles.build()
}

// A build error is the user's to fix: it crosses to the main thread as the text to print.
async function describe(error: unknown): Promise<BuilderReply['error']> {
  if (isUserError(error)) return { message: error.message, kind: 'user' }
  const failure = error as BuildFailure
  if (Array.isArray(failure?.errors)) {
    const { formatMessage } = await import('../pipeline/bundle.js')
    return { message: failure.errors.map(formatMessage).join('\n'), kind: 'compile' }
  }
  return { message: (error as Error)?.stack ?? String(error), kind: 'internal' }
}

parentPort!.on('message', async ({ id, type }: BuilderRequest) => {
  try {
    if (type === 'dispose') await Promise.all([bundles?.dispose(), clientBundles?.dispose()])
    const reply = type === 'build' ? { build: await build() } : type === 'client' ? { client: await buildClient() } : {}
    parentPort!.postMessage({ id, ...reply } satisfies BuilderReply)
  } catch (error) {
    parentPort!.postMessage({ id, error: await describe(error) } satisfies BuilderReply)
  }
})
