// Dev-loop benchmark: time from start to the first answered request, and from a saved route file
// to the new code answering, for `cloudwerk dev` and `wrangler dev` on the same app (wrangler
// serves the generated entry .cloudwerk/entry.ts, so both run the same code). Median of RUNS.
// Run: node bench/dev/run.mjs   (needs `npm install`; wrangler runs on Node 22 from the npm `node` package)
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RUNS = Number(process.env.RUNS ?? 3)
const repo = join(import.meta.dirname, '..', '..')
const cli = join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js')
const node22 = join(repo, 'node_modules', '.bin', 'node')
const wrangler = join(repo, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function makeApp() {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-dev-'))
  cpSync(join(repo, 'packages', 'cli', 'test', 'apps', 'dev-app'), dir, { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

async function until(predicate, timeoutMs = 60_000) {
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    if (await predicate().catch(() => false)) return performance.now() - started
    await sleep(10)
  }
  throw new Error('timed out')
}

async function measure(name, dir, port, command, args, env = {}) {
  const started = performance.now()
  const child = spawn(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false', ...env }, stdio: 'ignore', detached: true })
  const url = `http://127.0.0.1:${port}/api/counter/bench`
  try {
    await until(async () => (await fetch(url, { method: 'POST' })).ok)
    const ready = performance.now() - started
    await sleep(1000)
    const route = join(dir, 'app/api/counter/[id]/route.ts')
    const version = Number(/version: (\d+)/.exec(readFileSync(route, 'utf8'))[1]) + 1
    const saved = performance.now()
    writeFileSync(route, readFileSync(route, 'utf8').replace(/version: \d+/, `version: ${version}`))
    await until(async () => (await (await fetch(url, { method: 'POST' })).json()).version === version)
    return { name, ready, live: performance.now() - saved }
  } finally {
    process.kill(-child.pid, 'SIGINT')
    await sleep(1000)
    try { process.kill(-child.pid, 'SIGKILL') } catch {}
  }
}

const dir = makeApp()
const results = { cloudwerk: [], wrangler: [] }
try {
  // wrangler dev serves the generated entry, so generate it once.
  spawn(process.execPath, [cli, 'build'], { cwd: dir, stdio: 'ignore' })
  await sleep(3000)
  for (let i = 0; i < RUNS; i++) {
    const port = 28000 + i * 2
    results.cloudwerk.push(await measure('cloudwerk', dir, port, process.execPath, [cli, 'dev', '--port', String(port)]))
    results.wrangler.push(await measure('wrangler', dir, port + 1, node22, [wrangler, 'dev', '.cloudwerk/entry.ts', '--port', String(port + 1), '--ip', '127.0.0.1', '--show-interactive-dev-session=false']))
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const summary = Object.fromEntries(Object.entries(results).map(([k, rs]) => [k, { readyMs: Math.round(median(rs.map((r) => r.ready))), liveMs: Math.round(median(rs.map((r) => r.live))) }]))
mkdirSync(join(repo, 'bench', 'results'), { recursive: true })
writeFileSync(join(repo, 'bench', 'results', 'dev.json'), JSON.stringify({ runs: RUNS, ...summary }, null, 2))
console.log(`| dev loop (median of ${RUNS}) | ready ms | edit-to-live ms |`)
console.log('|---|---|---|')
for (const [k, v] of Object.entries(summary)) console.log(`| ${k} dev | ${v.readyMs} | ${v.liveMs} |`)
console.log(`ready ratio cloudwerk/wrangler: ${(summary.cloudwerk.readyMs / summary.wrangler.readyMs).toFixed(2)} (target < 0.5); edit-to-live target < 200 ms`)
