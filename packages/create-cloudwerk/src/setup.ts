import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { CreateError } from './errors.js'

const shell = process.platform === 'win32'

/** True when `dir` is inside a git work tree already (an app in a monorepo): no nested repository then. */
export function isInsideGitRepo(dir: string): boolean {
  const result = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8', shell })
  return result.status === 0 && result.stdout.trim() === 'true'
}

/** `git init`; a missing git is a note, not a failure: the app works without a repository. */
export function initGit(target: string): boolean {
  const result = spawnSync('git', ['init', '--quiet'], { cwd: target, encoding: 'utf8', shell })
  return result.status === 0
}

// What npm prints when it cannot reach the registry.
const OFFLINE = /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET|ENETUNREACH|network/i

/** `npm install` in the new app, its output shown as it comes; a failure says what to do. */
export async function installDependencies(target: string, dir: string): Promise<void> {
  const child = spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: target, stdio: ['ignore', 'inherit', 'pipe'], shell })
  let errors = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString()
    process.stderr.write(chunk)
  })
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  if (status === 0) return
  const retry = `run the command again, or add --no-install to create ${dir} and run npm install there later`
  if (OFFLINE.test(errors))
    throw new CreateError(
      `npm install could not reach the registry (no network?), so nothing was kept in ${dir}: once connected, ${retry}.`,
    )
  throw new CreateError(`npm install failed (see above), so nothing was kept in ${dir}: fix the problem and ${retry}.`)
}

/**
 * `cloudwerk build`, then `cloudwerk types`, with the CLI just installed in the app: the editor has
 * the Workers types (worker-configuration.d.ts: runtime, `Env`) and the objects' typed stubs
 * (.cloudwerk/types.d.ts) at once, not after a first `npm run typecheck`. On the Node running
 * create (the CLI writes the Workers types without the wrangler CLI, which needs Node 22).
 * Quiet unless it fails; undefined when it worked, else what the failing step printed.
 */
export function generateTypes(target: string): string | undefined {
  const cli = join(target, 'node_modules', '@cloudwerk', 'cli', 'bin', 'cloudwerk.js')
  for (const step of ['build', 'types']) {
    const result = spawnSync(process.execPath, [cli, step], { cwd: target, encoding: 'utf8' })
    if (result.status !== 0) return `cloudwerk ${step}: ${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || result.error?.message}`
  }
  return undefined
}
