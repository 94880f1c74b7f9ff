// Runs a fixture app the way it ships: the real `cloudwerk build` writes dist/index.js, and
// workerd (through Miniflare) serves that bundle with the options wrangler derives from the
// app's wrangler.jsonc (assets, vars), on a loopback port, outside development (no
// CLOUDWERK_DEV). Plain JavaScript so that soak.mjs can use it without a TypeScript loader.
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Miniflare } from 'miniflare'
import { wranglerWorkerOptions } from '../../../packages/cli/dist/dev/wrangler-options.js'

export const REPO = join(import.meta.dirname, '..', '..', '..')
export const CLI = join(REPO, 'packages', 'cli', 'bin', 'cloudwerk.js')
const run = promisify(execFile)

/** Copies test/reliability/apps/<name> to a temporary folder that resolves packages from the repo. */
export function copyApp(name) {
  const dir = mkdtempSync(join(tmpdir(), `cw-reliability-${name}-`))
  cpSync(join(import.meta.dirname, '..', 'apps', name), dir, { recursive: true })
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

/** Runs the real CLI in `dir`; resolves with its exit code and output, never rejects. */
export async function cloudwerk(dir, args, { timeoutMs = 120_000 } = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    return { code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }
  }
}

/**
 * Builds the app in `dir` with `cloudwerk build` and serves dist/index.js.
 * @param {string} dir
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function buildAndServe(dir, options = {}) {
  const built = await cloudwerk(dir, ['build', '--no-types'])
  if (built.code !== 0) throw new Error(`cloudwerk build failed:\n${built.output}`)
  const fromConfig = await wranglerWorkerOptions(dir, join(dir, 'wrangler.jsonc'))
  // The Worker's name from wrangler.jsonc: Miniflare needs it to find an object to evict.
  const name = fromConfig.name ?? ''
  const log = options.log ?? (() => {})
  const config = {
    ...fromConfig,
    modules: true,
    modulesRoot: join(dir, 'dist'),
    scriptPath: join(dir, 'dist', 'index.js'),
    host: '127.0.0.1',
    port: 0,
    cf: false,
    durableObjectsPersist: join(dir, '.wrangler', 'state', 'do'),
    // workerd's own output (console.error of failed requests), kept for the tests to read.
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (chunk) => log(String(chunk)))
      stderr.on('data', (chunk) => log(String(chunk)))
    },
  }
  let mf = new Miniflare(config)
  let url = (await mf.ready).href.replace(/\/$/, '')
  return {
    dir,
    get url() {
      return url
    },
    get mf() {
      return mf
    },
    /** Stops workerd and starts it again on the same storage: every object is evicted. */
    async restart() {
      await mf.dispose()
      mf = new Miniflare(config)
      url = (await mf.ready).href.replace(/\/$/, '')
    },
    /**
     * Evicts one object from memory while workerd runs. With `webSockets: 'hibernate'` its
     * sockets stay open (hibernation); the next event wakes it in a new instance.
     */
    evict: (className, objectName, webSockets = 'hibernate') =>
      mf.unsafeEvictDurableObject(name, className, { name: objectName, webSockets }),
    async close() {
      await mf.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The workerd processes started by this process (Miniflare spawns workerd as a child). */
export function workerdChildren(parent = process.pid) {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(parent)], { encoding: 'utf8' })
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'workerd')
    .map(([pid]) => Number(pid))
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function residentBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024
}

/** Calls an object through the app's /api/rpc route (see apps/target/app/api/rpc/route.ts). */
export async function rpc(url, call) {
  const response = await fetch(`${url}/api/rpc`, { method: 'POST', body: JSON.stringify(call) })
  if (!response.ok) throw new Error(`/api/rpc answered ${response.status}: ${await response.text()}`)
  return response.json()
}
