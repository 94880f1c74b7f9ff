import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { UserError } from '../util/errors.js'

// One `cloudwerk dev` per app folder. Two would run two workerd on the same SQLite files in
// .wrangler/state, which answers 500s and loses acknowledged writes. So dev takes a lock on the
// state folder: a file naming its process, its URL and the workerd it runs.
//
// The same file lets a later dev clean up after a killed one. `cloudwerk dev` runs workerd as a
// child process, and Miniflare stops it when dev exits; a dev killed with SIGKILL (or by the OOM
// killer) never runs that hook, so its workerd lives on, serving the old build on the old port
// and writing the app's local data. The next dev finds the lock of a process that is gone, stops
// the workerd it names, and takes the lock.

interface RunningProcess {
  pid: number
  /** The full command line: with the same pid it identifies the process (pids are reused). */
  command: string
}

interface DevLock {
  dev: RunningProcess
  /** Where it serves, once workerd is listening. */
  url?: string
  runtimes: RunningProcess[]
}

export const lockFile = (root: string) => join(root, '.wrangler', 'state', 'cloudwerk-dev.json')

/**
 * Takes this app's state folder for this process, after stopping the workerd that a killed
 * `cloudwerk dev` left running. Throws a UserError naming the dev process that holds it.
 */
export async function lockStateFolder(root: string): Promise<void> {
  const file = lockFile(root)
  mkdirSync(dirname(file), { recursive: true })
  const mine = JSON.stringify({ dev: { pid: process.pid, command: commandOf(process.pid) }, runtimes: [] } satisfies DevLock)
  for (;;) {
    try {
      // 'wx' fails if the file exists: of two devs starting together, one gets the lock.
      writeFileSync(file, mine, { flag: 'wx' })
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const held = readLock(root)
    if (held && isRunning(held.dev)) throw new UserError(describeHolder(root, held))
    if (held) await stopRuntimes(held.runtimes)
    rmSync(file, { force: true })
  }
}

/**
 * Writes down the workerd processes this dev process runs (and its URL, once known). Called by
 * the runtime's output handler, which Miniflare calls right after spawning workerd and before it
 * sends workerd its config: the record exists before the runtime can answer anything.
 */
export function recordRuntime(root: string, url?: string): void {
  const held = readLock(root)
  if (held?.dev.pid !== process.pid) return // not ours (removed by hand, or the folder went away)
  const runtimes = childProcesses(process.pid).filter(({ command }) => /(^|\/)workerd\s/.test(command))
  const next: DevLock = { ...held, url: url ?? held.url, runtimes }
  // Written whole and renamed into place: a reader never sees half a file.
  const temporary = `${lockFile(root)}.${process.pid}`
  try {
    writeFileSync(temporary, JSON.stringify(next))
    renameSync(temporary, lockFile(root))
  } catch {
    // the app folder went away under us: there is nothing left to protect
  }
}

/** Releases the state folder when this dev process stops cleanly. */
export function forgetRuntime(root: string): void {
  if (readLock(root)?.dev.pid === process.pid) rmSync(lockFile(root), { force: true })
}

function describeHolder(root: string, held: DevLock): string {
  const where = held.url ? `serving ${held.url}` : 'still starting'
  return (
    `cloudwerk dev is already running in ${root} (PID ${held.dev.pid}, ${where}). Two runtimes on the same ` +
    '.wrangler/state would write the same local SQLite files and lose data. Use that one, or stop it first ' +
    `(Ctrl-C in its terminal, or kill ${held.dev.pid}).`
  )
}

function readLock(root: string): DevLock | undefined {
  try {
    return JSON.parse(readFileSync(lockFile(root), 'utf8')) as DevLock
  } catch {
    return undefined
  }
}

async function stopRuntimes(runtimes: RunningProcess[]): Promise<void> {
  for (const runtime of runtimes) {
    if (!isRunning(runtime)) continue
    try {
      process.kill(runtime.pid, 'SIGKILL')
    } catch {
      continue
    }
    for (let i = 0; i < 50 && isRunning(runtime); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// Same pid and same command line: the same process (not a later one that reused the pid, and
// not a zombie, whose command line is empty).
function isRunning(entry: RunningProcess): boolean {
  return hasProcess(entry.pid) && commandOf(entry.pid) === entry.command
}

// Signal 0 checks that a pid exists without touching it.
function hasProcess(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// Linux answers from /proc in microseconds, which lets the record be written synchronously
// between spawning workerd and configuring it. Elsewhere (macOS) `ps` answers, more slowly.
const PROC = existsSync('/proc/self/cmdline')

function commandOf(pid: number): string {
  if (!PROC) return ps(['-ww', '-o', 'args=', '-p', String(pid)]).trim()
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

function childProcesses(parent: number): RunningProcess[] {
  if (PROC) {
    try {
      // Each thread lists the children it started.
      const tasks = readdirSync(`/proc/${parent}/task`)
      const pids = tasks.flatMap((task) => readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').split(' ').filter(Boolean))
      return pids.map((pid) => ({ pid: Number(pid), command: commandOf(Number(pid)) }))
    } catch {
      // a kernel without /proc/<pid>/task/<tid>/children: ask ps
    }
  }
  const children: RunningProcess[] = []
  for (const line of ps(['-A', '-o', 'pid=,ppid=']).split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number)
    // Read the same way as when it is checked later, so the two compare equal.
    if (ppid === parent) children.push({ pid, command: commandOf(pid) })
  }
  return children
}

// Where `ps` is missing too, nothing is recorded and nothing is stopped.
function ps(args: string[]): string {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return ''
  }
}
