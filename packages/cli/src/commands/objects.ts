import { deleteObject, renameObject } from '../wrangler/object-commands.js'
import { usesExports } from '../wrangler/exports.js'
import { fileFromClassName } from '../pipeline/object-name.js'
import { readManifest } from '../pipeline/index.js'
import type { Manifest, ObjectEntry } from '../pipeline/manifest.js'
import { readConfig } from '../wrangler/config.js'
import { dryRunMigration, type DryRunReport } from '../wrangler/dry-run-migration.js'
import { inspectObjects } from '../pipeline/inspect-objects.js'
import { formatStoredSchedules, readStoredSchedules } from '../dev/read-schedules.js'
import { parseFlags } from '../util/args.js'
import { UserError } from '../util/errors.js'
import { bold, dim, formatTable, green, red, yellow } from '../util/log.js'
import { suggestName as suggest } from '@cloudwerk/durable-object/shared/suggest'

export const help = `Usage: cloudwerk objects <command>

  list                    every object: class, binding, file
  info <Class>            one object: binding, file, methods with their types, handlers
  migrations              the migration history in wrangler.jsonc (or its "exports")
  versions                each object's state version and its migrate steps
  migrate --dry-run <Class>
                          runs the migrate steps on a copy of every local (dev) object of Class
                          and reports which would fail and why; writes nothing
  schedules <Class> <name>  one object's schedules and their last runs, from cloudwerk dev's local data
  rename <Old> <New>      declare a rename (appends renamed_classes; keeps the data)
  delete <Class>          confirm a deletion (appends deleted_classes; the data goes on deploy)`

const SUBCOMMANDS = ['list', 'info', 'migrations', 'versions', 'migrate', 'schedules', 'rename', 'delete']

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('objects', argv, { 'dry-run': { type: 'boolean' } })
  const [sub = 'list', ...args] = positionals
  if (values.help) return (console.log(help), 0)
  const root = process.cwd()
  switch (sub) {
    case 'list': {
      const { objects } = readManifest(root)
      console.log(formatTable([['class', 'binding', 'file'].map(bold), ...objects.map((o) => [o.className, o.binding, o.file])]))
      return 0
    }
    case 'info': {
      const manifest = readManifest(root)
      const object = findObject(manifest, 'info', args[0])
      const shape = inspectObjects({ ...manifest, objects: [object] }).get(object.className)
      console.log(`${bold(object.className)}  binding ${object.binding}  ${dim(object.file)}`)
      console.log(`methods:\n${(shape?.methods ?? []).map((m) => `  ${m}`).join('\n') || '  none'}`)
      console.log(`handlers: ${shape?.handlers.join(', ') || 'none'}`)
      return 0
    }
    case 'migrations': {
      const config = readConfig(root)
      if (config && usesExports(config.value)) {
        for (const [name, entry] of Object.entries(config.value.exports ?? {})) console.log(`${bold(name)}  ${dim(JSON.stringify(entry))}`)
        return 0
      }
      for (const entry of config?.value.migrations ?? [])
        console.log(`${bold(entry.tag)}  ${dim(JSON.stringify({ ...entry, tag: undefined }))}`)
      if (!config?.value.migrations?.length) console.log(dim('No migrations yet: `cloudwerk build` adds one per new object.'))
      return 0
    }
    case 'versions': {
      const manifest = readManifest(root)
      const shapes = inspectObjects(manifest)
      const rows = manifest.objects.map((o) => {
        const shape = shapes.get(o.className)
        const steps = shape?.steps.map((to) => `${to - 1} -> ${to}`).join(', ')
        return [o.className, String(shape?.version ?? 1), steps || dim('none'), o.file]
      })
      console.log(formatTable([['class', 'version', 'steps', 'file'].map(bold), ...rows]))
      return 0
    }
    case 'migrate': {
      if (!values['dry-run'] || args.length !== 1) {
        throw new UserError(
          'Usage: cloudwerk objects migrate --dry-run <Class>. Objects migrate by themselves when they load; the dry run tries the steps on a copy of the local data first.',
        )
      }
      const manifest = readManifest(root)
      findObject(manifest, 'migrate --dry-run', args[0])
      const report = await dryRunMigration(root, args[0])
      printDryRun(args[0], report)
      return report.outcomes.some((outcome) => !outcome.ok) ? 1 : 0
    }
    case 'schedules': {
      if (args.length !== 2) throw new UserError('Usage: cloudwerk objects schedules <Class> <name>   (the name you pass to getByName)')
      const manifest = readManifest(root)
      const object = findObject(manifest, 'schedules', args[0])
      const stored = await readStoredSchedules(root, object.className, args[1])
      if (!stored) {
        console.log(
          dim(`No ${object.className} named "${args[1]}" in the local dev data (.wrangler/state): call it once in \`cloudwerk dev\`.`),
        )
        return 0
      }
      const rows = formatStoredSchedules(stored)
      console.log(`${bold(object.className)} "${args[1]}": ${stored.pending.length} pending`)
      if (rows.length) console.log(formatTable([['key', 'method', 'next run (UTC)', 'status', 'when'].map(bold), ...rows]))
      if (stored.runs.length) {
        console.log(bold('\nlast runs (newest first)'))
        const runs = stored.runs.map((run) => [
          run.key,
          new Date(run.at).toISOString(),
          run.ok ? green('ok') : `failed (attempt ${run.attempt + 1}): ${run.error}`,
        ])
        console.log(formatTable(runs))
      }
      return 0
    }
    case 'rename': {
      if (args.length !== 2) throw new UserError('Usage: cloudwerk objects rename <OldClass> <NewClass>')
      renameObject(root, args[0], args[1])
      console.log(`${green('Renamed')} ${args[0]} -> ${args[1]} in wrangler.jsonc (renamed_classes appended; data kept).`)
      console.log(yellow(`Now make sure the object file is app/objects/${fileFromClassName(args[1])}.ts.`))
      return 0
    }
    case 'delete': {
      if (args.length !== 1) throw new UserError('Usage: cloudwerk objects delete <Class>')
      deleteObject(root, args[0])
      console.log(`${green('Deleted')} ${args[0]}: deleted_classes appended. Its objects and their data are removed on the next deploy.`)
      return 0
    }
    default: {
      const hint = suggest(sub, SUBCOMMANDS)
      throw new UserError(
        `cloudwerk objects: unknown command "${sub}".${hint ? ` Did you mean \`cloudwerk objects ${hint}\`?` : ''}\n\n${help}`,
      )
    }
  }
}

/** The app's object named `name`; otherwise the error lists the objects there are, and the closest. */
function findObject(manifest: Manifest, command: string, name: string | undefined): ObjectEntry {
  const object = manifest.objects.find((o) => o.className === name)
  if (object) return object
  const names = manifest.objects.map((o) => o.className)
  const hint = name ? suggest(name, names) : undefined
  throw new UserError(
    `cloudwerk objects ${command}: no object named ${name ?? '(missing)'}.${hint ? ` Did you mean ${hint}?` : ''} Objects: ${names.join(', ') || 'none'}.`,
  )
}

function printDryRun(className: string, { source, outcomes }: DryRunReport): void {
  const failed = outcomes.filter((outcome) => !outcome.ok)
  console.log(`${bold(className)}: ${outcomes.length} local object${outcomes.length === 1 ? '' : 's'} in ${source}, tried on a copy:`)
  for (const outcome of outcomes) {
    if (!outcome.ok) console.log(`  ${red('fails')}  ${outcome.id}\n         ${outcome.error}`)
    else if (outcome.from === null) console.log(`  ${dim('new')}    ${outcome.id} ${dim('(no state stored: init would run)')}`)
    else if (outcome.from === outcome.to) console.log(`  ${green('ok')}     ${outcome.id} ${dim(`(at version ${outcome.to} already)`)}`)
    else console.log(`  ${green('ok')}     ${outcome.id} ${dim(`(version ${outcome.from} -> ${outcome.to})`)}`)
  }
  console.log(
    failed.length
      ? red(`${failed.length} of ${outcomes.length} would fail.`) + ' Nothing was written.'
      : `${green('All would migrate.')} Nothing was written.`,
  )
}
