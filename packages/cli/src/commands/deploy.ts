import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { buildApp } from '../pipeline/index.js'
import { UserError } from '../util/errors.js'
import { describeBuild } from './build.js'

export const help = `Usage: cloudwerk deploy [...wrangler deploy arguments]

Builds the app, then runs \`wrangler deploy\` with the given arguments, for example
\`cloudwerk deploy --dry-run --outdir out\` or \`cloudwerk deploy --env production\`.
Wrangler needs Node.js 22 or newer; set CLOUDWERK_NODE to a Node 22 binary to use one
other than the node on PATH.`

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return (console.log(help), 0)
  const result = await buildApp(process.cwd())
  console.log(describeBuild(result))
  const node = process.env.CLOUDWERK_NODE || process.execPath
  const version = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
  if (Number(version.split('.')[0]) < 22) {
    throw new UserError(
      `wrangler deploy needs Node.js 22 or newer, and ${node} is ${version || 'not runnable'}. Install Node 22 (or \`npm install node@22\` and set CLOUDWERK_NODE=node_modules/.bin/node), then run cloudwerk deploy again. The build in dist/ is ready.`,
    )
  }
  const wrangler = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js')
  const child = spawnSync(node, [wrangler, 'deploy', ...argv], { stdio: 'inherit' })
  return child.status ?? 1
}
