import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { join, sep } from 'node:path'
import type { Plugin } from 'vite'
import { prepareApp } from '../pipeline/index.js'
import { saveConfig } from '../wrangler/config.js'
import { GENERATED } from '../pipeline/generated-paths.js'

type PoolOptions = Exclude<Parameters<typeof cloudflareTest>[0], Function>

export interface CloudwerkTestOptions {
  /** The app folder (default: the current directory). */
  root?: string
  /** Passed on to `cloudflareTest` (its `main` and `wrangler.configPath` are Cloudwerk's). */
  pool?: Omit<PoolOptions, 'main'>
}

/**
 * Vitest with `@cloudflare/vitest-pool-workers` on a Cloudwerk app: tests run inside workerd
 * with `env`, `SELF` and the `cloudflare:test` helpers. The generated Worker entry
 * (`.cloudwerk/entry.ts`, the app's own modules) is `main`, so an edit is tested as saved, with
 * no build in between; the generate step runs before the tests and again when a file in app/ is
 * added or removed (new routes and objects change the entry).
 *
 * @example
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config'
 * import { cloudwerkTest } from '@cloudwerk/cli/vitest'
 * export default defineConfig({ plugins: [cloudwerkTest()] })
 */
export function cloudwerkTest(options: CloudwerkTestOptions = {}): Plugin[] {
  const root = options.root ?? process.cwd()
  let generating: Promise<unknown> = Promise.resolve()
  const generate = () => (generating = generating.then(async () => saveConfig((await prepareApp(root)).config)))
  const app = join(root, 'app') + sep
  const plugin: Plugin = {
    name: 'cloudwerk:generate',
    async config() {
      await generate()
    },
    configureServer(server) {
      const onFiles = (file: string) => {
        if (file.startsWith(app)) void generate().catch((error: Error) => server.config.logger.error(error.message))
      }
      server.watcher.on('add', onFiles).on('unlink', onFiles)
    },
  }
  const pool = cloudflareTest({
    ...options.pool,
    main: GENERATED.entry,
    wrangler: { configPath: join(root, 'wrangler.jsonc'), ...options.pool?.wrangler },
  })
  return [plugin, pool]
}
