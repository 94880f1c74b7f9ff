import { watch, type FSWatcher } from 'chokidar'
import { basename, dirname, join, resolve } from 'node:path'

/**
 * What changed: code and config are rebuilt; static assets need workerd to re-read the folder;
 * client/ (browser code) is rebuilt alone.
 */
export type Change = 'client' | 'code' | 'assets'
const WEIGHT: Record<Change, number> = { client: 0, code: 1, assets: 2 }

/** When changes of several kinds land together, the one that does the most stands for them. */
export function combineChanges(earlier: Change | undefined, change: Change): Change {
  return earlier && WEIGHT[earlier] > WEIGHT[change] ? earlier : change
}

/** A folder (watched with everything under it) or a file, and what a change to it means. */
export interface WatchedPath {
  path: string
  change: Change
}

export interface AppWatcher {
  /** Resolves once the paths are being watched (the first scan has finished). */
  ready: Promise<void>
  /** Watches these paths from now on instead of the previous list (the assets folder can move). */
  update(paths: WatchedPath[]): Promise<void>
  close(): Promise<void>
}

// The config files beside app/ that the build reads.
const CONFIG_FILES = ['wrangler.jsonc', 'wrangler.json', '.dev.vars', '.env', 'tsconfig.json']

/** What `cloudwerk dev` watches in an app, and what a change to each path means. */
export function appPaths(root: string, assetsDir: string): WatchedPath[] {
  return [
    { path: join(root, 'app'), change: 'code' },
    { path: join(root, 'client'), change: 'client' },
    ...CONFIG_FILES.map((name): WatchedPath => ({ path: join(root, name), change: 'code' })),
    { path: assetsDir, change: 'assets' },
  ]
}

// chokidar drops a file's second change within 50 ms of the first (a save, then a formatter's
// rewrite). Reporting once 60 ms have passed without an event means the rebuild starts after any
// dropped write, so it reads the file as last written.
const SETTLE_MS = 60

// Editors' backup, swap and probe files (vim writes "4913" to test that it may write a folder),
// dotfiles inside watched folders (temporary files of atomic saves), and installed packages.
const IGNORED_NAME = /^\.|~$|\.sw[a-p]$|^4913$|^node_modules$/

/**
 * Watches what `cloudwerk dev` serves: app/, client/, the config files beside it, the assets folder, and
 * whatever else the caller lists. chokidar rather than Node's recursive fs.watch: on Linux that
 * one loses a file for good once an editor saves it by replacing it (sed -i, vim, Emacs, JetBrains
 * IDEs all do), and chokidar watches each folder, follows replaced files and folders that appear
 * later. Editors write a file in several steps, so changes are reported once a burst has settled.
 */
export function watchApp(root: string, paths: WatchedPath[], onChange: (change: Change) => void): AppWatcher {
  let timer: NodeJS.Timeout | undefined
  let pending: Change | undefined
  const report = (change: Change) => {
    pending = combineChanges(pending, change)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const change = pending!
      pending = undefined
      onChange(change)
    }, SETTLE_MS)
  }
  // One chokidar watcher per path, so each can be dropped alone and each says when it is ready.
  let watchers = new Map<string, { change: Change; watcher: FSWatcher; ready: Promise<void> }>()
  const start = (path: string, change: Change) => {
    // Watched from its parent folder, so the path is seen when it appears, goes or is replaced.
    const parent = dirname(path)
    const watcher = watch(parent, {
      ignoreInitial: true,
      // Any event is a change here: not holding back deletes for 100 ms (to pair them with a
      // re-add) keeps a temporary file's removal (sed -i) in the same burst as the save.
      atomic: false,
      ignored: (name) => !(name === parent || name === path || (name.startsWith(path + '/') && !IGNORED_NAME.test(basename(name)))),
    })
    watcher.on('all', () => report(change))
    return { change, watcher, ready: new Promise<void>((done) => watcher.once('ready', () => done())) }
  }
  const update = async (next: WatchedPath[]) => {
    const previous = watchers
    watchers = new Map()
    for (const { path, change } of next) {
      const absolute = resolve(root, path)
      const kept = previous.get(absolute)
      watchers.set(absolute, kept?.change === change ? kept : start(absolute, change))
    }
    const dropped = [...previous].filter(([path, entry]) => watchers.get(path) !== entry)
    await Promise.all([...dropped.map(([, entry]) => entry.watcher.close()), ...[...watchers.values()].map((entry) => entry.ready)])
  }
  return {
    ready: update(paths),
    update,
    async close() {
      clearTimeout(timer)
      await Promise.all([...watchers.values()].map((entry) => entry.watcher.close()))
      watchers.clear()
    },
  }
}
