// The real `cloudwerk dev` killed with SIGKILL in the middle of a write burst, twice: once the dev
// process alone (its workerd is orphaned), once the dev process and its workerd together. After
// each restart every acknowledged write is there, nothing is half-applied, the state passes its
// schema, and the port is free again.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startDev, type DevProcess } from '../../packages/cli/test/support/dev-process'
import { ledgerSchema } from './apps/target/app/lib/ledger-schema'
import { cloudwerk, copyApp, workerdChildren } from './support/app.mjs'
import { auditLedger, startBurst, waitForSize } from './support/burst.mjs'

let dir: string
let dev: DevProcess
const acknowledged = new Set<string>()
/** Every workerd this file saw, stopped at the end if a failed test left one orphaned. */
const runtimes = new Set<number>()
const workerdOf = (devProcess: DevProcess) => {
  const [pid] = workerdChildren(devProcess.child.pid)
  runtimes.add(pid)
  return pid
}

beforeAll(async () => {
  dir = copyApp('target')
  dev = await startDev(dir)
}, 120_000)
afterAll(async () => {
  if (dev?.child.exitCode === null) await dev.stop()
  for (const pid of runtimes) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Running, and not a zombie waiting to be reaped. */
function isAlive(pid: number) {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z')
  } catch {
    return false // ps exits 1 when there is no such process
  }
}

/** Every acknowledged write is stored once, the balance agrees with the entries, the schema holds. */
async function expectEveryAcknowledgedWrite(atLeast: number) {
  const audit = await auditLedger(dev.url, acknowledged)
  expect(audit.status).toBe(200)
  expect(ledgerSchema.safeParse(audit.state).success).toBe(true)
  expect(audit).toMatchObject({ missing: [], duplicated: 0, balanceMatches: true })
  expect(audit.stored).toBeGreaterThanOrEqual(atLeast)
}

test(
  'SIGKILL of the dev process alone: the restart stops the orphaned workerd, takes the same port, loses nothing',
  { timeout: 120_000 },
  async () => {
    const port = new URL(dev.url).port
    const workerd = workerdOf(dev)
    const burst = startBurst(dev.url, { label: 'a', acknowledged })
    await waitForSize(acknowledged, 100)
    dev.child.kill('SIGKILL')
    await burst.done
    expect(isAlive(workerd)).toBe(true) // the fault: Miniflare could not stop it

    dev = await startDev(dir, ['--port', port])
    expect(new URL(dev.url).port).toBe(port)
    expect(isAlive(workerd)).toBe(false)
    await expectEveryAcknowledgedWrite(100)
  },
)

test('SIGKILL of the dev process and its workerd together: nothing acknowledged is lost', { timeout: 120_000 }, async () => {
  const workerd = workerdOf(dev)
  const before = acknowledged.size
  const burst = startBurst(dev.url, { label: 'b', acknowledged })
  await waitForSize(acknowledged, before + 100)
  process.kill(workerd, 'SIGKILL')
  dev.child.kill('SIGKILL')
  await burst.done

  dev = await startDev(dir)
  await expectEveryAcknowledgedWrite(before + 100)
})

test('a port something else holds: dev says so, and exits', { timeout: 120_000 }, async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const other = copyApp('small')
  try {
    const result = await cloudwerk(other, ['dev', '--port', String(port)], { timeoutMs: 60_000 })
    expect(result.code).toBe(1)
    expect(result.output).toContain(
      `Error: cloudwerk dev: 127.0.0.1:${port} is already in use. Stop whatever listens there, or pick another port: cloudwerk dev --port <number>.`,
    )
    expect(result.output).not.toContain('Internal error')
    // workerd's own fatal error and native stack are not shown before the message.
    expect(result.output).not.toContain('kj::Exception')
  } finally {
    server.close()
    rmSync(other, { recursive: true, force: true })
  }
})
