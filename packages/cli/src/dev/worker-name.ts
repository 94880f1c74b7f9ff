import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Manifest } from '../pipeline/manifest.js'
import type { WorkerOptionsFromConfig } from './wrangler-options.js'
import { STATE_DIR } from './local-state.js'

// Object IDs in dev derive from the Worker's name (as with wrangler dev), and so does the folder
// of an object's data under .wrangler/state/v3/do (`<worker>-<Class>`). Dev used to name every
// app's Worker "cloudwerk-app"; the app's own name replaced it.
const LEGACY_NAME = 'cloudwerk-app'

/** The Worker's name in dev: the one it deploys under, so other Workers in dev reach it by it. */
export function devWorkerName(config: WorkerOptionsFromConfig): string {
  return config.name ?? LEGACY_NAME
}

/** Objects stored under the legacy name keep that key, so their data stays reachable. */
export function keepLegacyKeys(root: string, config: WorkerOptionsFromConfig): WorkerOptionsFromConfig['durableObjects'] {
  const objects = config.durableObjects
  if (!objects || devWorkerName(config) === LEGACY_NAME) return objects
  const stored = join(root, STATE_DIR, 'do')
  return Object.fromEntries(
    Object.entries(objects).map(([binding, object]) => {
      const legacyKey = `${LEGACY_NAME}-${object.className}`
      return [binding, !object.scriptName && existsSync(join(stored, legacyKey)) ? { ...object, unsafeUniqueKey: legacyKey } : object]
    }),
  )
}

/**
 * Notes for objects whose data sits under another Worker name (after a rename, or in another
 * environment): they start empty here, which looks like lost data unless dev says where it is.
 */
export function describeDataElsewhere(root: string, manifest: Manifest, config: WorkerOptionsFromConfig): string[] {
  const name = devWorkerName(config)
  let folders: string[]
  try {
    folders = readdirSync(join(root, STATE_DIR, 'do'))
  } catch {
    return []
  }
  const notes: string[] = []
  for (const { className } of manifest.objects) {
    if (folders.includes(`${name}-${className}`) || folders.includes(`${LEGACY_NAME}-${className}`)) continue
    const elsewhere = folders
      .filter((folder) => folder.endsWith(`-${className}`))
      .map((folder) => `"${folder.slice(0, -className.length - 1)}"`)
    if (elsewhere.length) {
      notes.push(
        `note: local ${className} objects are stored under the Worker name ${elsewhere.join(' and ')} (${STATE_DIR}/do/), but this Worker runs as "${name}" ` +
          '(the name in wrangler.jsonc, with -<env> in an environment), so its objects start empty here. Use that name again to see their data.',
      )
    }
  }
  return notes
}
