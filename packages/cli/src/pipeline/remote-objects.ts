import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { classNameFromBinding } from '@cloudwerk/core/naming'
import { UserError } from '../util/errors.js'
import { toPosix } from '../util/fs.js'
import { scanApp } from './scan.js'
import { readConfig } from '../wrangler/config.js'

/** An object of another Worker that this app binds with `script_name`, found in that Worker's app. */
export interface RemoteObject {
  /** The name the app calls it by: `durableObjects.<name>` (from the binding, as the runtime does). */
  name: string
  binding: string
  className: string
  /** The Worker that owns it (`script_name`). */
  worker: string
  /** Absolute path of its object file in the other app. */
  path: string
}

/**
 * Where the Workers this app binds live, from package.json:
 * `"cloudwerk": { "workers": { "shop-backend": "../backend" } }` (script_name -> app folder).
 * Only bindings to a Worker named there are typed from its object files; the others stay as they
 * are (declared by hand, for Workers that are not Cloudwerk apps).
 */
export function readWorkerPaths(root: string): Record<string, string> {
  const file = join(root, 'package.json')
  if (!existsSync(file)) return {}
  const workers = (JSON.parse(readFileSync(file, 'utf8')) as { cloudwerk?: { workers?: unknown } }).cloudwerk?.workers
  if (workers === undefined) return {}
  if (typeof workers !== 'object' || workers === null || Object.values(workers).some((v) => typeof v !== 'string')) {
    throw new UserError(
      'package.json: "cloudwerk.workers" must map Worker names to app folders, e.g. { "shop-backend": "../backend" }.',
      'package.json',
    )
  }
  return workers as Record<string, string>
}

/** The objects this app binds from other Cloudwerk apps named in package.json (see readWorkerPaths). */
export function findRemoteObjects(root: string): RemoteObject[] {
  const workers = readWorkerPaths(root)
  if (!Object.keys(workers).length) return []
  const bindings = readConfig(root)?.value.durable_objects?.bindings ?? []
  const found: RemoteObject[] = []
  for (const binding of bindings) {
    const folder = binding.script_name && workers[binding.script_name]
    if (!folder) continue
    const other = resolve(root, folder)
    const where = `package.json names ${JSON.stringify(folder)} as the app of the Worker "${binding.script_name}"`
    if (!existsSync(join(other, 'app'))) {
      throw new UserError(
        `${where}, but ${other} has no app/ folder. Point "cloudwerk.workers" at the folder of that Worker's Cloudwerk app.`,
        'package.json',
      )
    }
    const otherName = readConfig(other)?.value.name
    if (otherName !== undefined && otherName !== binding.script_name) {
      throw new UserError(
        `${where}, but that app's wrangler config names its Worker "${otherName}". Use the same name in script_name and in the other app's wrangler config.`,
        'package.json',
      )
    }
    const object = scanApp(other).objects.find((o) => o.className === binding.class_name)
    if (!object) {
      const file = toPosix(relative(root, join(other, 'app', 'objects')))
      throw new UserError(
        `wrangler config: the binding ${binding.name} calls the class ${binding.class_name} of the Worker "${binding.script_name}", but ${file} has no object file for it. Fix class_name, or add the object to that app.`,
        'wrangler.jsonc',
      )
    }
    found.push({
      name: classNameFromBinding(binding.name),
      binding: binding.name,
      className: binding.class_name,
      worker: binding.script_name!,
      path: join(other, object.file),
    })
  }
  return found
}
