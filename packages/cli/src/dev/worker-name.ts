import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Manifest } from '../pipeline/manifest.js'
import type { WorkerOptionsFromConfig } from './wrangler-options.js'
import { OBJECTS_DIR } from './local-state.js'

// Object IDs in dev derive from the Worker's name (as with wrangler dev), and so does the folder
// of an object's data under OBJECTS_DIR (`<worker>-<Class>`). Dev used to name every app's Worker
// "cloudwerk-app"; the app's own name replaced it.
const LEGACY_NAME = 'cloudwerk-app'

/** The folder under OBJECTS_DIR holding the objects of `className` run by the Worker `workerName`. */
export const objectsFolder = (workerName: string, className: string) => `${workerName}-${className}`

/** The Worker's name in dev: the one it deploys under, so other Workers in dev reach it by it. */
export function devWorkerName(config: WorkerOptionsFromConfig): string {
  return config.name ?? LEGACY_NAME
}

/**
 * The folder under OBJECTS_DIR that dev opens for the objects of `className`, or undefined when
 * dev never stored any: the legacy one when it exists, as keepLegacyKeys keeps it.
 */
export function storedObjectsFolder(root: string, workerName: string, className: string): string | undefined {
  return [objectsFolder(LEGACY_NAME, className), objectsFolder(workerName, className)].find((folder) =>
    existsSync(join(root, OBJECTS_DIR, folder)),
  )
}

/** Objects stored under the legacy name keep that key, so their data stays reachable. */
export function keepLegacyKeys(root: string, config: WorkerOptionsFromConfig): WorkerOptionsFromConfig['durableObjects'] {
  const objects = config.durableObjects
  if (!objects || devWorkerName(config) === LEGACY_NAME) return objects
  return Object.fromEntries(
    Object.entries(objects).map(([binding, object]) => {
      const legacyKey = objectsFolder(LEGACY_NAME, object.className)
      return [
        binding,
        !object.scriptName && existsSync(join(root, OBJECTS_DIR, legacyKey)) ? { ...object, unsafeUniqueKey: legacyKey } : object,
      ]
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
    folders = readdirSync(join(root, OBJECTS_DIR))
  } catch {
    return []
  }
  const notes: string[] = []
  for (const { className } of manifest.objects) {
    if (folders.includes(objectsFolder(name, className)) || folders.includes(objectsFolder(LEGACY_NAME, className))) continue
    const elsewhere = folders
      .filter((folder) => folder.endsWith(`-${className}`))
      .map((folder) => `"${folder.slice(0, -className.length - 1)}"`)
    if (elsewhere.length) {
      notes.push(
        `note: local ${className} objects are stored under the Worker name ${elsewhere.join(' and ')} (${OBJECTS_DIR}/), but this Worker runs as "${name}" ` +
          '(the name in wrangler.jsonc, with -<env> in an environment), so its objects start empty here. Use that name again to see their data.',
      )
    }
  }
  return notes
}
