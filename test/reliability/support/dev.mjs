// The real `cloudwerk dev` as a child process, for the soak script (the vitest suite uses
// packages/cli/test/support/dev-process.ts, which does the same in TypeScript).
import { spawn } from 'node:child_process'
import { CLI, workerdChildren } from './app.mjs'

/** Starts `cloudwerk dev --port 0 ...args` in `dir`; resolves once it prints its Ready line. */
export function startDevProcess(dir, args = [], timeoutMs = 90_000) {
  const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => fail(new Error(`cloudwerk dev was not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const fail = (error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGINT')
      reject(error)
    }
    const onData = (chunk) => {
      output += chunk
      const ready = /Ready on (http:\/\/\S+)/.exec(output)
      if (!ready || settled) return
      settled = true
      clearTimeout(timer)
      resolve({
        url: ready[1],
        child,
        output: () => output,
        workerd: () => workerdChildren(child.pid),
        async stop() {
          if (child.exitCode === null) child.kill('SIGINT')
          return exited
        },
      })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then(() => fail(new Error(`cloudwerk dev exited before it was ready:\n${output}`)))
  })
}
