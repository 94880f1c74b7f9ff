import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readText, writeIfChanged } from '../util/fs.js'
import { ASSETS_DIR, findConfig } from '../wrangler/config.js'
import { generatedPath } from '../pipeline/generated-paths.js'
import { loadWrangler } from '../util/load-cached.js'
import { installedVersion } from '../util/version.js'

/** The part of Miniflare's worker options that comes from wrangler.jsonc and .dev.vars. */
export type WorkerOptionsFromConfig = Record<string, unknown> & {
  name?: string
  serviceBindings?: Record<string, unknown>
  durableObjects?: Record<string, { className: string; scriptName?: string; useSQLite?: boolean }>
}

// Bumped when what is cached changes (2: the Worker's name), so an older cache is not used.
const CACHE_FORMAT = '2'

/**
 * Translates the app's wrangler config into Miniflare options with wrangler's own translator
 * (`unstable_getMiniflareWorkerOptions`), so vars, secrets, KV, D1, R2, assets and the rest mean
 * in dev what they mean on deploy. Loading wrangler takes a second or more, so the result is cached
 * in .cloudwerk/dev/ under a hash of everything it depends on.
 */
export async function wranglerWorkerOptions(root: string, configPath: string, environment?: string): Promise<WorkerOptionsFromConfig> {
  const key = createHash('sha256')
    .update(
      [
        CACHE_FORMAT,
        installedVersion('wrangler'),
        environment ?? '',
        readText(configPath) ?? '',
        readText(join(root, '.dev.vars')) ?? '',
        readText(join(root, '.env')) ?? '',
      ].join('\0'),
    )
    .digest('hex')
  const cacheFile = generatedPath(root, 'devWranglerOptions')
  const cached = readText(cacheFile)
  if (cached) {
    const parsed = JSON.parse(cached) as { key: string; options: WorkerOptionsFromConfig }
    if (parsed.key === key) return parsed.options
  }
  const loaded = loadWrangler<{
    unstable_readConfig(args: { config: string; env?: string }): { name?: string }
    unstable_getMiniflareWorkerOptions(config: object, env?: string): { workerOptions: WorkerOptionsFromConfig }
  }>()
  const wrangler = loaded.exports
  const config = wrangler.unstable_readConfig({ config: configPath, env: environment })
  // The Worker's name as deployed (`<name>-<env>` in an environment): other Workers in dev find
  // this one by it (script_name, service bindings) through the dev registry.
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(config, environment)
  const options = JSON.stringify({ ...workerOptions, name: config.name })
  writeIfChanged(cacheFile, `{"key":${JSON.stringify(key)},"options":${options}}`)
  loaded.saveCodeCache()
  // What the cache would give back: plain data, the same on every run.
  return JSON.parse(options) as WorkerOptionsFromConfig
}

/**
 * The deployed assets folder is the build's output (public/ copied, client/ bundled). Dev serves
 * public/ itself, so an edit there needs no copy, and client/ from memory (client-reload.ts).
 */
function servePublic(root: string, options: WorkerOptionsFromConfig): WorkerOptionsFromConfig {
  const assets = options.assets as { directory?: string } | undefined
  if (assets?.directory !== join(root, ASSETS_DIR)) return options
  if (!existsSync(join(root, 'public'))) return { ...options, assets: undefined }
  return { ...options, assets: { ...assets, directory: join(root, 'public') } }
}

/** The app's Miniflare options from its wrangler config, and what to tell the user about them. */
export async function configWorkerOptions(
  root: string,
  environment?: string,
): Promise<{ options: WorkerOptionsFromConfig; notes: string[] }> {
  const configPath = findConfig(root)
  if (!configPath) return { options: {}, notes: [] }
  const options = servePublic(root, await wranglerWorkerOptions(root, configPath, environment))
  const notes: string[] = []
  // Objects and services of other Workers are reached through the dev registry, where every
  // `cloudwerk dev` and `wrangler dev` on this machine lists its Worker.
  const bound = [
    ...Object.entries(options.durableObjects ?? {}).flatMap(([name, { className, scriptName }]) =>
      scriptName ? [`${name} (${className} of the Worker "${scriptName}")`] : [],
    ),
    ...Object.entries((options.serviceBindings ?? {}) as Record<string, { name?: unknown }>).flatMap(([name, target]) =>
      typeof target?.name === 'string' && target.name !== options.name ? [`${name} (the Worker "${target.name}")`] : [],
    ),
  ]
  if (bound.length)
    notes.push(
      `note: ${bound.join(' and ')} ${bound.length === 1 ? 'is' : 'are'} served by another Worker. Run it in dev too (cloudwerk dev or wrangler dev): calls find it through the local dev registry, and fail with "not found" until it runs.`,
    )
  return { options, notes }
}
