// The Node a user has: the machine's (npm's own; Node 20 here, the CLI's oldest supported line),
// not the repository's Node 22 `node` package, which npx and npm scripts put first on PATH
// (node_modules/.bin) for the wrangler CLI. Tests that prove a flow runs without the wrangler CLI
// put this one first on PATH.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'

export const machineNode = process.env.npm_node_execpath ?? process.execPath

/** The machine Node's version, as `node --version` prints it. */
export const machineNodeVersion = execFileSync(machineNode, ['--version'], { encoding: 'utf8' }).trim()

/** A folder in `parent` holding only `node` (the machine's), to put first on PATH. */
export function machineNodeBin(parent: string): string {
  const dir = join(parent, 'machine-node')
  mkdirSync(dir, { recursive: true })
  if (!existsSync(join(dir, 'node'))) symlinkSync(machineNode, join(dir, 'node'))
  return dir
}
