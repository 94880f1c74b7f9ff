import { deleteObject, renameObject } from '../build/object-commands.js'
import { fileFromClassName } from '../build/object-name.js'
import { scanApp } from '../build/scan.js'
import { readConfig } from '../build/wrangler-config.js'
import { inspectObjects } from '../build/inspect-objects.js'
import { parseFlags } from '../util/args.js'
import { UserError } from '../util/errors.js'
import { bold, dim, formatTable, green, yellow } from '../util/log.js'
import { suggestName as suggest } from '@cloudwerk/durable-object/suggest'

export const help = `Usage: cloudwerk objects <command>

  list                    every object: class, binding, file
  info <Class>            one object: binding, file, methods with their types, handlers
  migrations              the migration history in wrangler.jsonc
  rename <Old> <New>      declare a rename (appends renamed_classes; keeps the data)
  delete <Class>          confirm a deletion (appends deleted_classes; the data goes on deploy)`

const SUBCOMMANDS = ['list', 'info', 'migrations', 'rename', 'delete']

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('objects', argv, {})
  const [sub = 'list', ...args] = positionals
  if (values.help) return console.log(help), 0
  const root = process.cwd()
  switch (sub) {
    case 'list': {
      const { objects } = scanApp(root)
      console.log(formatTable([['class', 'binding', 'file'].map(bold), ...objects.map((o) => [o.className, o.binding, o.file])]))
      return 0
    }
    case 'info': {
      const manifest = scanApp(root)
      const object = manifest.objects.find((o) => o.className === args[0])
      if (!object) {
        const hint = args[0] ? suggest(args[0], manifest.objects.map((o) => o.className)) : undefined
        throw new UserError(`cloudwerk objects info: no object named ${args[0] ?? '(missing)'}.${hint ? ` Did you mean ${hint}?` : ''} Objects: ${manifest.objects.map((o) => o.className).join(', ') || 'none'}.`)
      }
      const shape = inspectObjects({ ...manifest, objects: [object] }).get(object.className)
      console.log(`${bold(object.className)}  binding ${object.binding}  ${dim(object.file)}`)
      console.log(`methods:\n${(shape?.methods ?? []).map((m) => `  ${m}`).join('\n') || '  none'}`)
      console.log(`handlers: ${shape?.handlers.join(', ') || 'none'}`)
      return 0
    }
    case 'migrations': {
      const config = readConfig(root)
      for (const entry of config?.value.migrations ?? []) console.log(`${bold(entry.tag)}  ${dim(JSON.stringify({ ...entry, tag: undefined }))}`)
      if (!config?.value.migrations?.length) console.log(dim('No migrations yet: `cloudwerk build` adds one per new object.'))
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
      throw new UserError(`cloudwerk objects: unknown command "${sub}".${hint ? ` Did you mean \`cloudwerk objects ${hint}\`?` : ''}\n\n${help}`)
    }
  }
}
