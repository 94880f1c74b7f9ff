import { isUserError } from './util/errors.js'
import { red } from './util/log.js'
import { readVersion } from './util/version.js'
import { suggestName as suggest } from '@cloudwerk/durable-object/shared/suggest'

const COMMANDS: Record<string, () => Promise<{ run(argv: string[]): Promise<number>; help: string }>> = {
  create: () => import('./commands/create.js'),
  dev: () => import('./commands/dev.js'),
  build: () => import('./commands/build.js'),
  deploy: () => import('./commands/deploy.js'),
  types: () => import('./commands/types.js'),
  routes: () => import('./commands/routes.js'),
  objects: () => import('./commands/objects.js'),
}

const HELP = `Usage: cloudwerk <command> [options]

Commands:
  create <dir>   scaffold a new app from a template
  dev            serve the app on workerd with live reload
  build          generate, sync wrangler.jsonc and bundle into dist/
  deploy         build, then wrangler deploy
  types          write .cloudwerk/types.d.ts (typed object stubs)
  routes         print the route table
  objects        list objects, show migrations, rename or delete a class

Run \`cloudwerk <command> --help\` for a command's options.`

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') return (console.log(HELP), name ? 0 : 1)
  if (name === '--version' || name === '-v') return (console.log(readVersion()), 0)
  const load = COMMANDS[name]
  if (!load) {
    const hint = suggest(name, Object.keys(COMMANDS))
    console.error(`${red('Error:')} unknown command "${name}".${hint ? ` Did you mean \`cloudwerk ${hint}\`?` : ''}\n\n${HELP}`)
    return 1
  }
  try {
    return await (await load()).run(rest)
  } catch (error) {
    if (isUserError(error)) console.error(`${red('Error:')} ${error.message}`)
    else console.error(`${red('Internal error')} (a bug in Cloudwerk, please report it):\n${(error as Error)?.stack ?? error}`)
    return 1
  }
}
