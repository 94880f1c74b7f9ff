import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { suggestName } from '@cloudwerk/durable-object/shared/suggest'
import { CreateError } from './errors.js'
import { Prompt } from './prompt.js'
import { scaffold } from './scaffold.js'
import { generateTypes, initGit, installDependencies, isInsideGitRepo } from './setup.js'
import { checkName, checkTarget, removeCreated } from './target.js'
import { checkTemplate, findCheckout, listTemplates } from './templates.js'

export { CreateError, isCreateError } from './errors.js'
export { FRAMEWORK } from './scaffold.js'
export { listTemplates } from './templates.js'

export interface CreateContext {
  /** How the user ran create, for help and messages: `npm create cloudwerk@latest` or `cloudwerk create`. */
  command: string
  /** The exact framework version the app will depend on. */
  version: string
}

export interface CreateOptions {
  dir: string
  template: string
  install: boolean
  git: boolean
  /** Depend on the packages of the Cloudwerk checkout this code runs from (`file:`), to try unreleased work. */
  link: boolean
  /** Declare the objects in wrangler's `exports` map instead of `migrations` (wrangler 4.107+). */
  exports?: boolean
}

export function help(command: string): string {
  const rest = command.startsWith('npm ') ? ' --' : ''
  return `Usage: ${command} <dir>${rest} [--template basic|chat] [--no-install] [--no-git] [--yes] [--link] [--exports]

Creates a new Cloudwerk app in <dir> (which must be missing or empty) from a template.
On a terminal, it asks for whatever the flags leave open; otherwise it takes the defaults.

  --template, -t   basic (a counter object, its routes and a test) or chat (WebSockets,
                   hibernation and a browser page); default basic
  --install        run npm install in the app, then write its types (the default);
                   --no-install skips both
  --git            git init the app (the default, unless <dir> is inside a git repository);
                   --no-git skips it
  --yes, -y        take the defaults for everything the flags leave open, without asking
  --link           depend on the framework packages of this Cloudwerk checkout (file:
                   dependencies) instead of the published version, to try unreleased work
  --exports        declare the Durable Objects in wrangler's "exports" map (wrangler 4.107+)
                   instead of the "migrations" list`
}

const FLAGS = {
  template: { type: 'string', short: 't' },
  install: { type: 'boolean' },
  'no-install': { type: 'boolean' },
  git: { type: 'boolean' },
  'no-git': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  link: { type: 'boolean' },
  exports: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Parses `argv`, asks on a terminal for what is missing, then creates the app. */
export async function run(argv: string[], context: CreateContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, context.command)
  if (values.help) return (console.log(help(context.command)), 0)
  if (values.template !== undefined) checkTemplate(values.template)
  if (positionals[0]) checkDir(positionals[0])
  const prompt = process.stdin.isTTY && process.stdout.isTTY && !values.yes ? new Prompt() : undefined
  let options: CreateOptions
  try {
    const dir = positionals[0] ?? (await prompt?.text('Folder for the app', 'my-app', problemWith))
    if (!dir) throw new CreateError(`Give the folder to create the app in: ${context.command} my-app`)
    const template = values.template ?? (await prompt?.choose('Template', listTemplates(), 'basic')) ?? 'basic'
    // --x or --no-x decides; otherwise the terminal is asked, or the default taken.
    const decide = async (flag: 'install' | 'git', question: string, fallback: boolean) =>
      values[flag] ? true : values[`no-${flag}`] ? false : ((await prompt?.confirm(question, fallback)) ?? fallback)
    const install = await decide('install', 'Install dependencies (npm install)?', true)
    const git = await decide('git', 'Initialize a git repository?', !isInsideGitRepo(existingParent(resolve(dir))))
    options = { dir, template, install, git, link: !!values.link, exports: !!values.exports }
  } finally {
    prompt?.close()
  }
  await createApp(options, context.version)
  return 0
}

/**
 * Creates the app: checks everything first, then copies the template, runs git init and npm
 * install. A failure on the way removes what it created, so the same command can simply be rerun.
 */
export async function createApp(options: CreateOptions, version: string): Promise<void> {
  const { dir } = options
  const target = resolve(dir)
  const name = checkDir(dir)
  checkTemplate(options.template)
  const checkout = options.link ? findCheckout() : undefined
  if (options.link && !checkout) {
    throw new CreateError(
      '--link points the app at the packages of a Cloudwerk checkout, and this is an installed package: run create from a checkout (node packages/cli/bin/cloudwerk.js create my-app --link) or drop --link.',
    )
  }
  const existed = existsSync(target)
  // Ctrl-C reaches npm too, which stops; the failure below then removes the half-made app.
  let interrupted = false
  const noteInterrupt = () => (interrupted = true)
  process.on('SIGINT', noteInterrupt)
  try {
    scaffold(target, { template: options.template, name, version, checkout, exports: options.exports })
    console.log(`Created ${dir} from the ${options.template} template (Cloudwerk ${checkout ? `linked to ${checkout}` : version})`)
    if (options.git && !initGit(target)) console.log('Note: git init did not work (is git installed?); the app works without a repository.')
    if (options.install) {
      console.log('Installing dependencies (npm install)...')
      await installDependencies(target, dir)
    }
  } catch (error) {
    removeCreated(target, existed)
    throw interrupted ? new CreateError(`Stopped (Ctrl-C), so nothing was kept in ${dir}: run the command again to create it.`) : error
  } finally {
    process.off('SIGINT', noteInterrupt)
  }
  // After the install, and outside the clean-up above: the app works without its types.
  const files = 'worker-configuration.d.ts (Workers runtime, env) and\n.cloudwerk/types.d.ts (your objects)'
  let types = `Types: npm run typecheck writes ${files} for your editor.`
  if (options.install) {
    console.log('Writing the types (cloudwerk build, cloudwerk types)...')
    const failure = generateTypes(target)
    if (failure) console.log(`Note: the types could not be written:\n${failure}`)
    else types = `Types for your editor are written: ${files}. npm run typecheck writes them again after a change.`
  }
  const steps = [
    `cd ${dir}`,
    ...(options.install ? [] : ['npm install']),
    'npm run dev        serve on http://127.0.0.1:8787',
    'npm test           run the tests in workerd',
    'npm run typecheck  build, write the types, run tsc',
  ]
  console.log(`\nNext:\n${steps.map((step) => `  ${step}`).join('\n')}\n\n${types}`)
}

function checkDir(dir: string): string {
  const target = resolve(dir)
  checkTarget(dir, target)
  return checkName(target)
}

function problemWith(dir: string): string | undefined {
  try {
    checkDir(dir)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

function existingParent(path: string): string {
  while (!existsSync(path)) path = resolve(path, '..')
  return path
}

function parseFlags(argv: string[], command: string) {
  try {
    return parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true })
  } catch (error) {
    const flag = /'(-{1,2}[^']+)'/.exec((error as Error).message)?.[1]
    const hint = flag
      ? suggestName(
          flag.split('=')[0],
          Object.keys(FLAGS).map((name) => `--${name}`),
        )
      : undefined
    throw new CreateError(
      `${(error as Error).message.replace(/\. To specify.*$/s, '')}.${hint ? ` Did you mean ${hint}?` : ''} See \`${command} --help\`.`,
    )
  }
}
