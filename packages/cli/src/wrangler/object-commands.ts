import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../util/errors.js'
import { replayLifecycle, usesExports } from './exports.js'
import { nextTag, type Migration } from './migrations.js'
import { bindingNameFromClass, fileFromClassName } from '../pipeline/object-name.js'
import { appendMigration, readConfig, saveConfig, setValue, type ConfigFile } from './config.js'

function loadConfig(root: string): ConfigFile {
  const config = readConfig(root)
  if (!config) throw new UserError('No wrangler.jsonc in this folder: run `cloudwerk build` first, in your app folder.')
  return config
}

function liveClasses(config: ConfigFile) {
  const { live, problems } = replayLifecycle(config.value)
  if (problems.length)
    throw new UserError(
      `${config.name}: the Durable Object history is broken: ${problems.join('; ')}. Fix it by hand and run the command again.`,
      config.name,
    )
  return live
}

/**
 * Records a rename or delete where the app declares its objects: a new `migrations` entry, or
 * tombstones in `exports` (the new name of a rename becomes a live entry beside its tombstone).
 */
function recordChange(config: ConfigFile, change: { renamed: { from: string; to: string } } | { deleted: string }): ConfigFile {
  if (usesExports(config.value)) {
    if ('deleted' in change) return setValue(config, ['exports', change.deleted], { type: 'durable-object', state: 'deleted' })
    const { from, to } = change.renamed
    config = setValue(config, ['exports', from], { type: 'durable-object', state: 'renamed', renamed_to: to })
    return setValue(config, ['exports', to], { type: 'durable-object', storage: 'sqlite' })
  }
  const entry: Migration = { tag: nextTag(config.value.migrations ?? []) }
  if ('deleted' in change) entry.deleted_classes = [change.deleted]
  else entry.renamed_classes = [change.renamed]
  return appendMigration(config, entry)
}

/**
 * `cloudwerk objects rename Old New`: appends `renamed_classes` (or marks `exports.Old` renamed) so the objects and their data
 * move to the new class, and points the binding at it. The file is renamed by the user.
 */
export function renameObject(root: string, from: string, to: string): ConfigFile {
  let config = loadConfig(root)
  const live = liveClasses(config)
  if (!live.has(from)) {
    throw new UserError(
      `${config.name}: there is no deployed class ${from} to rename (live classes: ${[...live.keys()].join(', ') || 'none'}).`,
      config.name,
    )
  }
  if (live.has(to) || (usesExports(config.value) && config.value.exports?.[to])) {
    throw new UserError(`${config.name}: ${to} already exists, so ${from} cannot be renamed to it. Pick another name.`, config.name)
  }
  config = recordChange(config, { renamed: { from, to } })
  const bindings = (config.value.durable_objects?.bindings ?? []).map((b) =>
    b.class_name === from && !b.script_name ? { ...b, name: bindingNameFromClass(to), class_name: to } : b,
  )
  config = setValue(config, ['durable_objects', 'bindings'], bindings)
  saveConfig(config)
  return config
}

/**
 * `cloudwerk objects delete Class`: appends `deleted_classes` or marks `exports.Class` deleted (every object of the class and its
 * data go on the next deploy) and drops the binding. Refused while the object file still exists.
 */
export function deleteObject(root: string, className: string): ConfigFile {
  let config = loadConfig(root)
  const live = liveClasses(config)
  const file = `app/objects/${fileFromClassName(className)}.ts`
  if (!live.has(className)) {
    throw new UserError(
      `${config.name}: there is no class ${className} to delete (live classes: ${[...live.keys()].join(', ') || 'none'}).`,
      config.name,
    )
  }
  if (existsSync(join(root, file))) {
    throw new UserError(`${file} still exists. Delete the file first, then run \`cloudwerk objects delete ${className}\` to confirm.`, file)
  }
  config = recordChange(config, { deleted: className })
  const bindings = (config.value.durable_objects?.bindings ?? []).filter((b) => b.script_name || b.class_name !== className)
  config = setValue(config, ['durable_objects', 'bindings'], bindings)
  saveConfig(config)
  return config
}
