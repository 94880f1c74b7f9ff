import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../util/errors.js'
import { nextTag, replayMigrations } from './migrations.js'
import { bindingNameFromClass, fileFromClassName } from './object-name.js'
import { appendMigration, readConfig, saveConfig, setValue, type ConfigFile } from './wrangler-config.js'

function loadConfig(root: string): ConfigFile {
  const config = readConfig(root)
  if (!config) throw new UserError('No wrangler.jsonc in this folder: run `cloudwerk build` first, in your app folder.')
  return config
}

function liveClasses(config: ConfigFile) {
  const { live, problems } = replayMigrations(config.value.migrations ?? [])
  if (problems.length) throw new UserError(`${config.name}: the migration history is broken: ${problems.join('; ')}`, config.name)
  return live
}

/**
 * `cloudwerk objects rename Old New`: appends `renamed_classes` so the objects and their data
 * move to the new class, and points the binding at it. The file is renamed by the user.
 */
export function renameObject(root: string, from: string, to: string): ConfigFile {
  let config = loadConfig(root)
  const live = liveClasses(config)
  if (!live.has(from)) {
    throw new UserError(`${config.name}: there is no deployed class ${from} to rename (live classes: ${[...live.keys()].join(', ') || 'none'}).`, config.name)
  }
  if (live.has(to)) {
    throw new UserError(`${config.name}: ${to} already exists, so ${from} cannot be renamed to it. Pick another name.`, config.name)
  }
  config = appendMigration(config, { tag: nextTag(config.value.migrations ?? []), renamed_classes: [{ from, to }] })
  const bindings = (config.value.durable_objects?.bindings ?? []).map((b) =>
    b.class_name === from && !b.script_name ? { ...b, name: bindingNameFromClass(to), class_name: to } : b,
  )
  config = setValue(config, ['durable_objects', 'bindings'], bindings)
  saveConfig(config)
  return config
}

/**
 * `cloudwerk objects delete Class`: appends `deleted_classes` (every object of the class and its
 * data go on the next deploy) and drops the binding. Refused while the object file still exists.
 */
export function deleteObject(root: string, className: string): ConfigFile {
  let config = loadConfig(root)
  const live = liveClasses(config)
  const file = `app/objects/${fileFromClassName(className)}.ts`
  if (!live.has(className)) {
    throw new UserError(`${config.name}: there is no class ${className} to delete (live classes: ${[...live.keys()].join(', ') || 'none'}).`, config.name)
  }
  if (existsSync(join(root, file))) {
    throw new UserError(`${file} still exists. Delete the file first, then run \`cloudwerk objects delete ${className}\` to confirm.`, file)
  }
  config = appendMigration(config, { tag: nextTag(config.value.migrations ?? []), deleted_classes: [className] })
  const bindings = (config.value.durable_objects?.bindings ?? []).filter((b) => b.script_name || b.class_name !== className)
  config = setValue(config, ['durable_objects', 'bindings'], bindings)
  saveConfig(config)
  return config
}
