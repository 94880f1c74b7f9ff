// The build half of `cloudwerk dev`, on a worker thread (started by builder.ts). Loading the build
// code and building take a few hundred ms; here they run beside the main thread's load of
// Miniflare instead of before it. Replies are plain data: the manifest, both bundles' results and
// the Miniflare options from wrangler.jsonc.
import type { BuildFailure } from 'esbuild'
import { parentPort, workerData } from 'node:worker_threads'
import { formatMessage } from '../build/bundle.js'
import { prepareApp } from '../build/index.js'
import { isUserError } from '../util/errors.js'
import type { BuilderData, BuilderReply, BuilderRequest, DevBuildResult } from './builder.js'
import { createDevBundles } from './bundles.js'
import { configWorkerOptions } from './wrangler-options.js'

const { root, environment } = workerData as BuilderData
let bundles: Awaited<ReturnType<typeof createDevBundles>> | undefined

async function build(): Promise<DevBuildResult> {
  // wrangler.jsonc is written once the bundles have built: see prepareApp.
  const prepared = await prepareApp(root, { deferConfig: true })
  bundles ??= await createDevBundles(root, prepared.manifest)
  const built = await bundles.build(prepared.manifest)
  prepared.saveConfig()
  const { options, notes } = await configWorkerOptions(root, environment)
  return { manifest: prepared.manifest, objectsFile: bundles.objectsFile, ...built, config: options, notes }
}

// A build error is the user's to fix: it crosses to the main thread as the text to print.
function describe(error: unknown): BuilderReply['error'] {
  if (isUserError(error)) return { message: error.message, kind: 'user' }
  const failure = error as BuildFailure
  if (Array.isArray(failure?.errors)) return { message: failure.errors.map(formatMessage).join('\n'), kind: 'compile' }
  return { message: (error as Error)?.stack ?? String(error), kind: 'internal' }
}

parentPort!.on('message', async ({ id, type }: BuilderRequest) => {
  try {
    if (type === 'dispose') await bundles?.dispose()
    parentPort!.postMessage({ id, ...(type === 'build' ? { build: await build() } : {}) } satisfies BuilderReply)
  } catch (error) {
    parentPort!.postMessage({ id, error: describe(error) } satisfies BuilderReply)
  }
})
