import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { fileURLToPath } from 'node:url'
import { readConfig, saveConfig, setValue } from '../build/wrangler-config.js'
import { parseFlags } from '../util/args.js'
import { UserError } from '../util/errors.js'
import { bold, cyan, green } from '../util/log.js'
import { suggestName as suggest } from '@cloudwerk/durable-object/suggest'

export const help = `Usage: cloudwerk create <dir> [--template basic|chat] [--link] [--no-install]

Creates a new app in <dir> (which must be empty or missing) from a template.

  --template    basic (a counter object, its routes and a test) or chat (WebSockets,
                hibernation and a browser page); asked interactively on a terminal
  --link        depend on the framework packages of this checkout (file: dependencies)
                instead of the published versions, to try unreleased work
  --no-install  do not run npm install`

/** The repository root of this CLI: templates/ and packages/ live there. */
const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const TEMPLATES = join(REPO, 'templates')
const FRAMEWORK = ['@cloudwerk/core', '@cloudwerk/durable-object', '@cloudwerk/cli']

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('create', argv, {
    template: { type: 'string', short: 't' },
    link: { type: 'boolean' },
    'no-install': { type: 'boolean' },
  })
  if (values.help) return console.log(help), 0
  const [dir] = positionals
  if (!dir) throw new UserError(`cloudwerk create: give the folder to create, e.g. \`cloudwerk create my-app\`.\n\n${help}`)
  const target = resolve(dir)
  if (existsSync(target) && readdirSync(target).length) {
    throw new UserError(`${dir} is not empty. Cloudwerk never overwrites files: choose a new folder name or empty this one.`)
  }
  const template = (values.template as string | undefined) ?? (await chooseTemplate())
  createApp(target, template, { link: !!values.link })
  console.log(`${green('Created')} ${dir} from the ${template} template`)
  if (!values['no-install']) {
    console.log('Installing dependencies (npm install)...')
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: target, stdio: 'inherit' })
    if (install.status !== 0) throw new UserError(`npm install failed in ${dir}; fix the problem above and run it again there.`)
  }
  console.log(`\nNext:\n  ${cyan(`cd ${dir}`)}\n  ${cyan('npm run dev')}     ${bold('serve on http://127.0.0.1:8787')}\n  ${cyan('npm test')}        run the tests in workerd`)
  return 0
}

export function templates(): string[] {
  return readdirSync(TEMPLATES).filter((name) => existsSync(join(TEMPLATES, name, 'package.json'))).sort()
}

async function chooseTemplate(): Promise<string> {
  const names = templates()
  if (!process.stdin.isTTY) return 'basic'
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    const answer = await rl.question(`Template (${names.join(', ')}) [basic]: `)
    return answer.trim() || 'basic'
  } finally {
    rl.close()
  }
}

/** Copies a template into `target` and points its framework dependencies at npm or this checkout. */
export function createApp(target: string, template: string, options: { link: boolean }): void {
  if (!templates().includes(template)) {
    const hint = suggest(template, templates())
    throw new UserError(`There is no template "${template}".${hint ? ` Did you mean ${hint}?` : ''} Templates: ${templates().join(', ')}.`)
  }
  const source = join(TEMPLATES, template)
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !/(^|\/)(node_modules|\.cloudwerk|\.wrangler|dist)(\/|$)/.test(path.slice(source.length)),
  })
  // npm would drop a file named .gitignore from a published package, so templates keep it as gitignore.
  if (existsSync(join(target, 'gitignore'))) renameSync(join(target, 'gitignore'), join(target, '.gitignore'))
  const pkgPath = join(target, 'package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
  pkg.name = basename(target).toLowerCase().replace(/[^a-z0-9-]/g, '-')
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of FRAMEWORK) {
      if (!pkg[field]?.[name]) continue
      pkg[field][name] = options.link ? `file:${join(REPO, 'packages', name.split('/')[1])}` : '^0.1.0'
    }
  }
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n')
  // The Worker's name is its identity on deploy: two apps with one name would replace each other.
  const config = readConfig(target)
  if (config) saveConfig(setValue(config, ['name'], pkg.name))
}
