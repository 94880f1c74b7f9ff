import type { Miniflare, MiniflareOptions } from 'miniflare'
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { generatedPath } from '../pipeline/generated-paths.js'
import { recordRuntime } from './leftover-runtime.js'
import { handleRuntimeOutput } from './runtime-output.js'

/** Miniflare's options for workerd running `script`. */
export type OptionsFor = (script: string) => MiniflareOptions

export interface DevRuntimeSetup {
  Miniflare: typeof Miniflare
  root: string
  /** The objects bundle: what workerd runs (the routes bundle is evaluated inside it). */
  objectsFile: string
  log: (line: string) => void
  logError: (line: string) => void
}

export type DevRuntime = ReturnType<typeof createDevRuntime>

/**
 * workerd, through Miniflare: started on the objects bundle, restarted when that bundle or the
 * config changes. A copy of the last objects bundle workerd accepted is kept, so one that fails to
 * start is swapped back out and the last good build keeps serving.
 */
export function createDevRuntime(setup: DevRuntimeSetup) {
  const { root, objectsFile } = setup
  const goodFile = generatedPath(root, 'devGoodBundle')
  let mf: Miniflare | undefined
  let url = ''
  // The bundle workerd runs: the objects bundle, or the good copy after a failed restart.
  let running = objectsFile
  // Records each workerd as soon as it is spawned, and maps its stack traces to the app's files.
  const handleRuntimeStdio = handleRuntimeOutput({
    root,
    script: () => running,
    onSpawn: () => recordRuntime(root),
    log: setup.log,
    logError: setup.logError,
  })
  const run = (script: string, optionsFor: OptionsFor): MiniflareOptions => {
    running = script
    return { ...optionsFor(script), handleRuntimeStdio }
  }

  return {
    /** The dev server's URL, once started. */
    url: () => url,
    /** Starts workerd and resolves with its URL; rejects with workerd stopped when it cannot start. */
    async start(optionsFor: OptionsFor): Promise<string> {
      const started = new setup.Miniflare(run(objectsFile, optionsFor))
      mf = started
      keepAsGood(objectsFile, goodFile)
      try {
        url = (await started.ready).href.replace(/\/$/, '')
      } catch (error) {
        // Let go of what keeps the process alive, so `cloudwerk dev` exits with the error.
        await started.dispose().catch(() => {})
        throw error
      }
      return url
    },
    /**
     * Restarts workerd on the objects bundle with `next`'s options. When workerd refuses it, goes
     * back to the last bundle it accepted, with `last`'s options, and rethrows.
     */
    async restart(next: OptionsFor, last: OptionsFor): Promise<void> {
      try {
        await mf!.setOptions(run(objectsFile, next))
      } catch (error) {
        await mf!.setOptions(run(goodFile, last))
        throw error
      }
      keepAsGood(objectsFile, goodFile)
    },
    evict: (script: string, className: string, id: string) => mf!.unsafeEvictDurableObject(script, className, { id }),
    dispose: async () => mf?.dispose(),
  }
}

function keepAsGood(outfile: string, goodFile: string): void {
  mkdirSync(dirname(goodFile), { recursive: true })
  for (const suffix of ['', '.map']) copyFileSync(outfile + suffix, goodFile + suffix)
}
