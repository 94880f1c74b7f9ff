import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { readText, writeIfChanged } from '../util/fs.js'
import { findConfig } from '../build/wrangler-config.js'
import { GENERATED_DIR } from '../build/write-entry.js'

/** The part of Miniflare's worker options that comes from wrangler.jsonc and .dev.vars. */
export type WorkerOptionsFromConfig = Record<string, unknown> & {
  durableObjects?: Record<string, { className: string; scriptName?: string; useSQLite?: boolean }>
}

/**
 * Translates the app's wrangler config into Miniflare options with wrangler's own translator
 * (`unstable_getMiniflareWorkerOptions`), so vars, secrets, KV, D1, R2, assets and the rest mean
 * in dev what they mean on deploy. Loading wrangler takes seconds, so the result is cached
 * in .cloudwerk/dev/ under a hash of everything it depends on.
 */
export async function wranglerWorkerOptions(root: string, configPath: string, environment?: string): Promise<WorkerOptionsFromConfig> {
  const require = createRequire(import.meta.url)
  const wranglerVersion = (require('wrangler/package.json') as { version: string }).version
  const key = createHash('sha256')
    .update([wranglerVersion, environment ?? '', readText(configPath) ?? '', readText(join(root, '.dev.vars')) ?? '', readText(join(root, '.env')) ?? ''].join('\0'))
    .digest('hex')
  const cacheFile = join(root, GENERATED_DIR, 'dev', 'wrangler-options.json')
  const cached = readText(cacheFile)
  if (cached) {
    const parsed = JSON.parse(cached) as { key: string; options: WorkerOptionsFromConfig }
    if (parsed.key === key) return parsed.options
  }
  const wrangler = (await import('wrangler')) as unknown as {
    unstable_getMiniflareWorkerOptions(path: string, env?: string): { workerOptions: WorkerOptionsFromConfig }
  }
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(configPath, environment)
  const options = JSON.stringify(workerOptions)
  writeIfChanged(cacheFile, `{"key":${JSON.stringify(key)},"options":${options}}`)
  // What the cache would give back: plain data, the same on every run.
  return JSON.parse(options) as WorkerOptionsFromConfig
}

/** The app's Miniflare options from its wrangler config, and what to tell the user about them. */
export async function configWorkerOptions(root: string, environment?: string): Promise<{ options: WorkerOptionsFromConfig; notes: string[] }> {
  const configPath = findConfig(root)
  if (!configPath) return { options: {}, notes: [] }
  const options = await wranglerWorkerOptions(root, configPath, environment)
  const notes: string[] = []
  // Objects bound from another Worker (script_name) need that Worker running in this process.
  for (const [name, binding] of Object.entries(options.durableObjects ?? {})) {
    if (binding.scriptName) {
      notes.push(`note: ${name} binds ${binding.className} from the Worker "${binding.scriptName}", which cloudwerk dev does not run; calls to it will fail locally.`)
      delete options.durableObjects![name]
    }
  }
  return { options, notes }
}
