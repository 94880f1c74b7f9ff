// Dev-loop benchmark: time from start to the first answered request, and from a saved route file
// to the new code answering, for `cloudwerk dev` and `wrangler dev` on the same app (wrangler
// serves the generated entry .cloudwerk/entry.ts, so both run the same code). Median of RUNS.
// Also records where the time goes: cloudwerk dev's own "Reloaded in … (build …, …)" line, and a
// floor probe (a fresh Node importing Miniflare, starting workerd with a one-line
// Worker, then swapping it with setOptions as cloudwerk dev does on a change).
// Run: node bench/dev/run.mjs   (needs `npm install`; wrangler runs on Node 22 from the npm `node` package)
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GENERATED } from '../../packages/cli/dist/pipeline/generated-paths.js'

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
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
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
    const live = performance.now() - saved
    await sleep(100) // the log line comes right after the swap
    // "Reloaded in 95 ms (build 80 ms, routes swapped in, no restart)" or "(build 80 ms, workerd restart 500 ms)"
    const reloaded = /Reloaded in (\d+) ms \(build (\d+) ms, (?:workerd restart (\d+) ms|([^)]*))\)/.exec(output)
    return {
      name,
      ready,
      live,
      ...(reloaded
        ? {
            reloadMs: Number(reloaded[1]),
            rebuildMs: Number(reloaded[2]),
            restartMs: Number(reloaded[3] ?? 0),
            reloadHow: reloaded[4] ?? 'workerd restart',
          }
        : {}),
    }
  } finally {
    process.kill(-child.pid, 'SIGINT')
    await sleep(1000)
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
}

/** Spawn to the first answered request, and nothing else (for a start with no change since the last). */
async function measureReady(dir, port) {
  const started = performance.now()
  const child = spawn(process.execPath, [cli, 'dev', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: 'ignore',
    detached: true,
  })
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/api/counter/bench`, { method: 'POST' })).ok)
    return performance.now() - started
  } finally {
    process.kill(-child.pid, 'SIGINT')
    await sleep(1000)
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
}

// The floor under any Miniflare-based dev server on this machine.
const PROBE = `
const t0 = performance.now()
const { Miniflare } = await import('miniflare')
const t1 = performance.now()
const options = (text) => ({ modules: true, script: 'export default { fetch: () => new Response("' + text + '") }', compatibilityDate: '2026-07-01', cf: false, port: 0 })
const mf = new Miniflare(options('a'))
const url = await mf.ready
await (await fetch(url)).text()
const t2 = performance.now()
await mf.setOptions(options('b'))
await (await fetch(await mf.ready)).text()
const t3 = performance.now()
await mf.dispose()
console.log(JSON.stringify({ bootMs: t0, importMs: t1 - t0, startMs: t2 - t1, setOptionsMs: t3 - t2 }))
`
function probe() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`probe exited ${code}`))))
  })
}

const dir = makeApp()
const results = { cloudwerk: [], wrangler: [], probe: [] }
try {
  // wrangler dev serves the generated entry, so generate it once.
  spawn(process.execPath, [cli, 'build'], { cwd: dir, stdio: 'ignore' })
  await sleep(3000)
  for (let i = 0; i < RUNS; i++) {
    const port = 28000 + i * 2
    results.cloudwerk.push(await measure('cloudwerk', dir, port, process.execPath, [cli, 'dev', '--port', String(port)]))
    results.wrangler.push(
      await measure('wrangler', dir, port + 1, node22, [
        wrangler,
        'dev',
        GENERATED.entry,
        '--port',
        String(port + 1),
        '--ip',
        '127.0.0.1',
        '--show-interactive-dev-session=false',
      ]),
    )
    results.probe.push(await probe())
    console.error(
      `run ${i + 1}: cloudwerk ready ${Math.round(results.cloudwerk[i].ready)} ms, wrangler ready ${Math.round(results.wrangler[i].ready)} ms`,
    )
  }
  // Started again with nothing changed: the first start after the edits builds (and records the
  // build), the next ones start from that build (packages/cli/src/dev/last-build.ts).
  await measureReady(dir, 28100)
  results.unchanged = [await measureReady(dir, 28101), await measureReady(dir, 28102), await measureReady(dir, 28103)]
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const medianOf = (rs, key) => (rs.every((r) => typeof r[key] === 'number') ? Math.round(median(rs.map((r) => r[key]))) : undefined)
const summary = Object.fromEntries(
  ['cloudwerk', 'wrangler'].map((k) => [
    k,
    {
      readyMs: medianOf(results[k], 'ready'),
      liveMs: medianOf(results[k], 'live'),
      reloadMs: medianOf(results[k], 'reloadMs'),
      rebuildMs: medianOf(results[k], 'rebuildMs'),
      restartMs: medianOf(results[k], 'restartMs'),
      reloadHow: results[k][0]?.reloadHow,
    },
  ]),
)
const floor = {
  nodeBootMs: medianOf(results.probe, 'bootMs'),
  importMiniflareMs: medianOf(results.probe, 'importMs'),
  startWorkerdMs: medianOf(results.probe, 'startMs'),
  setOptionsMs: medianOf(results.probe, 'setOptionsMs'),
}
mkdirSync(join(repo, 'bench', 'results'), { recursive: true })
// The first start in the folder, before cloudwerk dev has cached wrangler's config translation.
const firstStart = { cloudwerkMs: Math.round(results.cloudwerk[0].ready), wranglerMs: Math.round(results.wrangler[0].ready) }
const unchangedReadyMs = Math.round(median(results.unchanged))
writeFileSync(
  join(repo, 'bench', 'results', 'dev.json'),
  JSON.stringify({ runs: RUNS, ...summary, floor, firstStart, unchangedReadyMs }, null, 2),
)
console.log(`| dev loop (median of ${RUNS}) | ready ms | edit-to-live ms |`)
console.log('|---|---|---|')
for (const [k, v] of Object.entries(summary)) console.log(`| ${k} dev | ${v.readyMs} | ${v.liveMs} |`)
console.log(
  `cloudwerk dev reload (its own log): build ${summary.cloudwerk.rebuildMs} ms, ${summary.cloudwerk.restartMs ? `workerd restart ${summary.cloudwerk.restartMs} ms` : summary.cloudwerk.reloadHow}`,
)
console.log(
  `floor (fresh Node, one-line Worker): node boot ${floor.nodeBootMs} ms, import miniflare ${floor.importMiniflareMs} ms, start workerd ${floor.startWorkerdMs} ms, setOptions swap ${floor.setOptionsMs} ms`,
)
console.log(`cloudwerk dev started again with nothing changed (from the last build, median of 3): ${unchangedReadyMs} ms`)
console.log(
  `ready ratio cloudwerk/wrangler: ${(summary.cloudwerk.readyMs / summary.wrangler.readyMs).toFixed(2)} (target < 0.5); edit-to-live target < 200 ms`,
)
