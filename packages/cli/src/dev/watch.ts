import { watch, type FSWatcher } from 'node:fs'
import { basename, join } from 'node:path'

/** What changed: code and config are rebuilt; static assets need workerd to re-read the folder. */
export type Change = 'code' | 'assets'

export interface AppWatcher {
  /** Watches the static assets folder (wrangler.jsonc's `assets.directory`), or stops watching. */
  watchAssets(dir: string | undefined): void
  close(): void
}

const CONFIG_FILES = /^(wrangler\.jsonc?|\.dev\.vars|\.env|tsconfig\.json)$/
// Editors' temporary and backup files, and folders nobody edits by hand.
const IGNORED = /(^|\/)(\.|node_modules|dist\/)|~$|\.swp$/

/**
 * Watches what `cloudwerk dev` serves: app/, the config files beside it, and the assets folder.
 * Editors write a file in several steps, so changes are reported once a burst has settled.
 */
export function watchApp(root: string, assetsDir: string, onChange: (change: Change) => void): AppWatcher {
  let timer: NodeJS.Timeout | undefined
  let pending: Change | undefined
  const report = (change: Change, name: string | null) => {
    if (name && IGNORED.test(name)) return
    pending = pending === 'assets' ? 'assets' : change
    clearTimeout(timer)
    timer = setTimeout(() => {
      const change = pending!
      pending = undefined
      onChange(change)
    }, 25)
  }
  let assets: { dir: string; watcher?: FSWatcher } | undefined
  const watchers = [
    watch(join(root, 'app'), { recursive: true }, (_event, name) => report('code', name)),
    watch(root, (_event, name) => {
      // (.dev.vars and .env start with a dot, which the filter for app/ would drop.)
      if (CONFIG_FILES.test(name ?? '')) return report('code', null)
      // The assets folder appeared (or went): rebuild, which adds it to the config and watches it.
      const folder = assets?.dir
      if (folder && name === basename(folder)) report('assets', null)
    }),
  ]
  const watchAssets = (dir: string | undefined) => {
    if (assets && assets.dir === dir && assets.watcher) return
    assets?.watcher?.close()
    assets = dir === undefined ? undefined : { dir, watcher: tryWatch(dir, (name) => report('assets', name)) }
  }
  watchAssets(assetsDir)
  return {
    watchAssets,
    close() {
      clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
      assets?.watcher?.close()
    },
  }
}

// A folder that does not exist yet is not watched; the root watcher reports when it appears.
function tryWatch(dir: string, onEvent: (name: string | null) => void): FSWatcher | undefined {
  try {
    return watch(dir, { recursive: true }, (_event, name) => onEvent(name))
  } catch {
    return undefined
  }
}
