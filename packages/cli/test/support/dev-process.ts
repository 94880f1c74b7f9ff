// Runs the real `cloudwerk dev` (the compiled CLI) on a copy of a fixture app, as a user would.
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const repo = join(import.meta.dirname, '..', '..', '..', '..')
export const CLI = join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js')

/** Copies `packages/cli/test/apps/<name>` to a temp folder that resolves packages from the repo. */
export function copyApp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cw-${name}-`))
  cpSync(join(import.meta.dirname, '..', 'apps', name), dir, { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

export function removeApp(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export interface DevProcess {
  url: string
  child: ChildProcess
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** Resolves when the output (after `from`) matches. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<string>
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>
}

export async function startDev(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<DevProcess> {
  // A dev registry of its own unless the test shares one: in the default one (in the home folder)
  // every Worker of every test file running meanwhile would be listed, and found by name.
  const registry = env.WRANGLER_REGISTRY_PATH ? undefined : mkdtempSync(join(tmpdir(), 'cw-dev-registry-'))
  const ownRegistry = registry ? { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry } : {}
  const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...ownRegistry, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  const listeners = new Set<() => void>()
  const append = (chunk: Buffer) => {
    text += chunk.toString()
    for (const l of listeners) l()
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  if (registry) void exited.then(() => rmSync(registry, { recursive: true, force: true }))
  // Generous: a reload that restarts workerd takes many seconds on a busy machine.
  const waitFor = (pattern: RegExp, from = 0, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = text.slice(from).match(pattern)
        if (!match) return false
        listeners.delete(check)
        clearTimeout(timer)
        resolve(match[0])
        return true
      }
      const timer = setTimeout(() => {
        listeners.delete(check)
        reject(new Error(`timed out waiting for ${pattern} in:\n${text}`))
      }, timeoutMs)
      listeners.add(check)
      check()
      void exited.then(() => !check() && reject(new Error(`cloudwerk dev exited before ${pattern}:\n${text}`)))
    })
  // Generous: on a loaded two-core machine, starting workerd can take many seconds.
  const ready = await waitFor(/Ready on (http:\/\/\S+)/, 0, 90_000).catch((error: unknown) => {
    child.kill('SIGINT')
    throw error
  })
  return {
    url: ready.replace('Ready on ', ''),
    child,
    output: () => text,
    waitFor,
    async stop() {
      child.kill('SIGINT')
      return exited
    },
  }
}
