import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { GENERATED_DIR } from '../build/write-entry.js'

// `cloudwerk dev` runs workerd as a child process, and Miniflare stops it when dev exits. A dev
// process killed with SIGKILL (or by the OOM killer) never runs that hook, so its workerd lives
// on: still serving the old build on the old port and writing the app's local data. The next
// `cloudwerk dev` in the folder would then fail with "address already in use", or run a second
// workerd on the same SQLite files. So dev writes down which workerd it runs, and the next one
// stops a leftover workerd before starting its own.

interface RunningProcess {
  pid: number
  /** The full command line: with the same pid it identifies the process (it holds random ports). */
  command: string
}

interface RuntimeRecord {
  dev: RunningProcess
  runtimes: RunningProcess[]
}

const recordFile = (root: string) => join(root, GENERATED_DIR, 'dev', 'runtime.json')

/** Stops the workerd that a killed `cloudwerk dev` left running in this folder, if any. */
export async function stopLeftoverRuntime(root: string): Promise<void> {
  const record = readRecord(root)
  // A dev process that still runs owns its workerd.
  if (!record || (await isRunning(record.dev))) return
  for (const runtime of record.runtimes) {
    if (!(await isRunning(runtime))) continue
    try {
      process.kill(runtime.pid, 'SIGKILL')
    } catch {
      continue
    }
    for (let i = 0; i < 50 && (await isRunning(runtime)); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  rmSync(recordFile(root), { force: true })
}

/**
 * Writes down the workerd processes this dev process runs; call after every (re)start of workerd.
 * It asks `ps`, which takes a while, so it runs beside serving rather than before it.
 */
export async function recordRuntime(root: string): Promise<void> {
  const [command, children] = await Promise.all([commandOf(process.pid), childProcesses(process.pid)])
  const dev = { pid: process.pid, command }
  const runtimes = children.filter(({ command }) => /(^|\/)workerd\s/.test(command))
  if (!dev.command || !runtimes.length) return
  const file = recordFile(root)
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify({ dev, runtimes } satisfies RuntimeRecord))
  } catch {
    // the app folder went away under us: there is nothing left to protect
  }
}

/** Drops this dev process's record when it stops cleanly. */
export function forgetRuntime(root: string): void {
  if (readRecord(root)?.dev.pid === process.pid) rmSync(recordFile(root), { force: true })
}

function readRecord(root: string): RuntimeRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordFile(root), 'utf8')) as RuntimeRecord
  } catch {
    return undefined
  }
}

// Same pid and same command line: the same process (not a later one that reused the pid, and
// not a zombie, whose command line `ps` shows as "[name] <defunct>").
async function isRunning(entry: RunningProcess): Promise<boolean> {
  return hasProcess(entry.pid) && (await commandOf(entry.pid)) === entry.command
}

// Signal 0 checks that a pid exists without touching it: the common case (nothing left over)
// needs no `ps` at all.
function hasProcess(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// `ps` is on Linux and macOS; where it is missing nothing is recorded and nothing is stopped.
function ps(args: string[]): Promise<string> {
  return new Promise((resolve) => execFile('ps', args, { encoding: 'utf8' }, (error, stdout) => resolve(error ? '' : stdout)))
}

async function commandOf(pid: number): Promise<string> {
  return (await ps(['-ww', '-o', 'args=', '-p', String(pid)])).trim()
}

async function childProcesses(parent: number): Promise<RunningProcess[]> {
  const children: RunningProcess[] = []
  for (const line of (await ps(['-ww', '-A', '-o', 'pid=,ppid=,args='])).split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)
    if (match && Number(match[2]) === parent) children.push({ pid: Number(match[1]), command: match[3].trim() })
  }
  return children
}
