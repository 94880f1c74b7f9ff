// Runs commands in an app folder as a user would, and `npm run dev` until stopped.
import { spawn, spawnSync } from 'node:child_process'

export interface Result {
  status: number | null
  out: string
}

export function runIn(cwd: string, env: NodeJS.ProcessEnv, command: string, args: string[]): Result {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000 })
  return { status: result.status, out: `${result.stdout}${result.stderr}${result.error ?? ''}` }
}

/** `npm run dev`, in its own process group so that stopping it stops cloudwerk and workerd too. */
export async function startNpmDev(cwd: string, env: NodeJS.ProcessEnv, port: number) {
  const child = spawn('npm', ['run', 'dev', '--', '--port', String(port)], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev did not start in 90 s:\n${text}`)), 90_000)
    const append = (chunk: Buffer) => {
      text += chunk
      const url = /Ready on (http:\/\/\S+)/.exec(text)?.[1]
      if (url) (clearTimeout(timer), resolve(url))
    }
    child.stdout!.on('data', append)
    child.stderr!.on('data', append)
    void exited.then(() => reject(new Error(`npm run dev exited:\n${text}`)))
  })
  const stop = async () => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT')
    await exited
  }
  try {
    return { url: await ready, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
