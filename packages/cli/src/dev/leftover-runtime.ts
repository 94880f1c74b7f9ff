import { execFileSync } from 'node:child_process'
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
  if (!record || isRunning(record.dev)) return
  for (const runtime of record.runtimes) {
    if (!isRunning(runtime)) continue
    try {
      process.kill(runtime.pid, 'SIGKILL')
    } catch {
      continue
    }
    for (let i = 0; i < 50 && isRunning(runtime); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  rmSync(recordFile(root), { force: true })
}

/** Writes down the workerd processes this dev process runs; call after every (re)start of workerd. */
export function recordRuntime(root: string): void {
  const dev = { pid: process.pid, command: commandOf(process.pid) }
  const runtimes = childProcesses(process.pid).filter(({ command }) => /(^|\/)workerd\s/.test(command))
  if (!dev.command || !runtimes.length) return
  const file = recordFile(root)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify({ dev, runtimes } satisfies RuntimeRecord))
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
function isRunning(entry: RunningProcess): boolean {
  return commandOf(entry.pid) === entry.command
}

// `ps` is on Linux and macOS; where it is missing nothing is recorded and nothing is stopped.
function ps(args: string[]): string {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return ''
  }
}

function commandOf(pid: number): string {
  return ps(['-ww', '-o', 'args=', '-p', String(pid)]).trim()
}

function childProcesses(parent: number): RunningProcess[] {
  const children: RunningProcess[] = []
  for (const line of ps(['-ww', '-A', '-o', 'pid=,ppid=,args=']).split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)
    if (match && Number(match[2]) === parent) children.push({ pid: Number(match[1]), command: match[3].trim() })
  }
  return children
}
