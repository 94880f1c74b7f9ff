import { join, posix } from 'node:path'
import { UserError } from '../util/errors.js'
import { mixedLifecycleProblem, planExports, replayLifecycle, usesExports, type Exports } from './exports.js'
import type { Manifest } from '../pipeline/manifest.js'
import { planMigrations, type LiveClass } from './migrations.js'
import { fileFromClassName } from '../pipeline/object-name.js'
import {
  appendMigration,
  ASSETS_DIR,
  COMPATIBILITY_DATE,
  OUT_FILE,
  parseConfig,
  readConfig,
  saveConfig,
  setValue,
  type ConfigFile,
  type DurableObjectBinding,
} from './config.js'

/**
 * Keeps the parts of the app's wrangler config that Cloudwerk owns in step with app/: `main` (if
 * missing), the Durable Object bindings of its objects, appended migrations, and `assets` for
 * public/. Everything else (comments, vars, KV, D1, other bindings) stays as the user wrote it.
 * Nothing is written unless the whole result is valid.
 */
export function reconcileWrangler(manifest: Manifest, options: { defaultName?: string; save?: boolean } = {}): ConfigFile {
  let config = readConfig(manifest.root) ?? newConfig(manifest.root, options.defaultName ?? 'cloudwerk-app')
  if (!config.value.main) config = setValue(config, ['main'], OUT_FILE)
  checkMain(config)
  if (!config.value.compatibility_date) config = setValue(config, ['compatibility_date'], COMPATIBILITY_DATE)
  checkCompatibilityDate(config)
  config = reconcileAssets(config, manifest)

  config = reconcileLifecycle(
    config,
    manifest.objects.map((o) => o.className),
  )

  const bindings = reconcileBindings(config.value.durable_objects?.bindings ?? [], bindingNames(manifest, config))
  if (JSON.stringify(bindings) !== JSON.stringify(config.value.durable_objects?.bindings ?? [])) {
    config = setValue(config, ['durable_objects', 'bindings'], bindings)
  }
  checkBindings(config)
  if (options.save !== false) saveConfig(config)
  return config
}

/** New objects are declared where the app declares them: appended to `migrations`, or added to `exports`. */
function reconcileLifecycle(config: ConfigFile, classes: string[]): ConfigFile {
  const mixed = mixedLifecycleProblem(config.value)
  if (mixed) throw new UserError(`${config.name}: ${mixed}.`, config.name)
  if (usesExports(config.value)) {
    const plan = planExports(config.value.exports as Exports, classes)
    if (!plan.ok) throw new UserError(describeFailedPlan(config, plan.removed, plan.added, plan.problems), config.name)
    for (const [name, entry] of Object.entries(plan.add)) config = setValue(config, ['exports', name], entry)
    return config
  }
  const plan = planMigrations(config.value.migrations ?? [], classes)
  if (!plan.ok) throw new UserError(describeFailedPlan(config, plan.removed, plan.added, plan.problems), config.name)
  for (const entry of plan.append) config = appendMigration(config, entry)
  return config
}

/**
 * The static assets are the build's output (public/ copied, client/ bundled: write-assets.ts).
 * Apps built before client/ existed point at public/ itself; they are moved to the output. A
 * folder of the user's own choosing stays, unless client/ needs the output.
 */
function reconcileAssets(config: ConfigFile, manifest: Manifest): ConfigFile {
  if (!manifest.hasPublic && !manifest.hasClient) return config
  const directory = config.value.assets?.directory
  if (!config.value.assets) return setValue(config, ['assets'], { directory: ASSETS_DIR })
  if (directory === undefined || isFolder(directory, 'public')) return setValue(config, ['assets', 'directory'], ASSETS_DIR)
  if (isFolder(directory, ASSETS_DIR) || !manifest.hasClient) return config
  throw new UserError(
    `${config.name}: "assets.directory" is ${JSON.stringify(directory)}, but the browser code in client/ is bundled into ${ASSETS_DIR}/ together with a copy of public/. ` +
      `Move the files of ${directory} into public/ and set "assets": { "directory": "${ASSETS_DIR}" } in ${config.name} (or remove "directory" and Cloudwerk sets it).`,
    config.name,
  )
}

/** Whether a configured directory (`./public`, `public/`) names `folder`. */
export function isFolder(directory: string, folder: string): boolean {
  return directory.replace(/^\.\//, '').replace(/\/+$/, '') === folder
}

function newConfig(root: string, name: string): ConfigFile {
  const text = `{
  // Cloudwerk keeps "durable_objects" and "migrations" in sync with app/objects.
  // Never edit or reorder a migration that was deployed: Cloudwerk only appends.
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": ${JSON.stringify(name)},
  "main": "dist/index.js",
  "compatibility_date": ${JSON.stringify(COMPATIBILITY_DATE)}
}
`
  return parseConfig(join(root, 'wrangler.jsonc'), text)
}

// `wrangler deploy` uploads what `main` names: another file there would deploy without the app.
// Stopping, rather than rewriting it, because that file may hold handlers (queue, scheduled, ...)
// that the user has to move into app/ first; replacing it without a word would drop them.
function checkMain(config: ConfigFile): void {
  const main = config.value.main!
  if (posix.normalize(main.replaceAll('\\', '/')) === OUT_FILE) return
  throw new UserError(
    `${config.name}: "main" is ${JSON.stringify(main)}, but Cloudwerk builds the Worker into ${OUT_FILE}, and \`wrangler deploy\` uploads what "main" names. Set "main": ${JSON.stringify(OUT_FILE)} in ${config.name}, and move what ${main} does into app/ (routes in app/**/route.ts, objects in app/objects/).`,
    config.name,
  )
}

/** The first date with RPC on Durable Object stubs, which every call into an object uses. */
export const RPC_COMPATIBILITY_DATE = '2024-04-03'

function checkCompatibilityDate(config: ConfigFile): void {
  const date = config.value.compatibility_date!
  if (date >= RPC_COMPATIBILITY_DATE) return
  throw new UserError(
    `${config.name}: "compatibility_date" is ${JSON.stringify(date)}, before ${RPC_COMPATIBILITY_DATE}, when Workers started to allow RPC on Durable Object stubs: every call to an object (durableObjects.X.getByName(...).method()) would fail. Set "compatibility_date": ${JSON.stringify(COMPATIBILITY_DATE)} (or any date from ${RPC_COMPATIBILITY_DATE}) in ${config.name}.`,
    config.name,
  )
}

/**
 * Each object's binding name as the config has it: a binding the user already gave a class (say
 * `{ "name": "rooms", "class_name": "ChatRoom" }` in a ported Worker, which its other code may
 * use as `env.rooms`) keeps its name; the durableObjects proxy reaches classes, not names.
 */
export function bindingNames(manifest: Manifest, config: ConfigFile): Manifest {
  const bindings = config.value.durable_objects?.bindings ?? []
  const named = (o: Manifest['objects'][number]) => bindings.find((b) => !b.script_name && b.class_name === o.className)?.name ?? o.binding
  return { ...manifest, objects: manifest.objects.map((o) => ({ ...o, binding: named(o) })) }
}

/** Ours first (one per object, in manifest order), then the user's own (other scripts' classes). */
function reconcileBindings(existing: DurableObjectBinding[], manifest: Manifest): DurableObjectBinding[] {
  const ours = manifest.objects.map((o) => ({ name: o.binding, class_name: o.className }))
  const theirs = existing.filter((b) => b.script_name || !ours.some((o) => o.class_name === b.class_name || o.name === b.name))
  return [...ours, ...theirs]
}

function checkBindings(config: ConfigFile): void {
  const { live, problems } = replayLifecycle(config.value)
  const names = new Set<string>()
  for (const binding of config.value.durable_objects?.bindings ?? []) {
    if (names.has(binding.name)) problems.push(`the binding name ${binding.name} is used twice in durable_objects.bindings`)
    names.add(binding.name)
    if (!binding.script_name && !live.has(binding.class_name)) {
      problems.push(
        `the binding ${binding.name} points at the class ${binding.class_name}, which no ${usesExports(config.value) ? 'live "exports" entry declares' : 'migration creates (or one deletes)'}; remove the binding, or add "script_name" if the class lives in another Worker`,
      )
    }
  }
  if (problems.length) {
    throw new UserError(
      `${config.name}: the Durable Object configuration breaks the platform's rules:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix ${config.name} by hand (append entries; never edit ones that were deployed).`,
      config.name,
    )
  }
}

function describeFailedPlan(config: ConfigFile, removed: LiveClass[], added: string[], problems: string[]): string {
  if (problems.length) {
    return `${config.name}: the ${usesExports(config.value) ? '"exports" map' : 'migration history'} breaks the platform's rules:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix ${config.name} by hand: entries that were deployed must stay exactly as they are.`
  }
  const lines = removed.map((cls) => {
    const file = `app/objects/${fileFromClassName(cls.name)}.ts`
    const renamedTo = added.length === 1 && removed.length === 1 ? added[0] : undefined
    return [
      `The Durable Object class ${cls.name} has no object file any more (${file} is gone), but ${config.name} says it exists (${cls.tag.startsWith('exports.') ? `"${cls.tag}"` : `migration "${cls.tag}"`}).`,
      `Deploying without it would delete every ${cls.name} object and all of its data. Choose one:`,
      `  - restore ${file}`,
      renamedTo
        ? `  - if you renamed it to ${renamedTo}: cloudwerk objects rename ${cls.name} ${renamedTo}   (keeps the data)`
        : `  - if you renamed it: cloudwerk objects rename ${cls.name} <NewName>   (keeps the data)`,
      `  - to delete it and its data: cloudwerk objects delete ${cls.name}`,
    ].join('\n')
  })
  return lines.join('\n\n')
}
