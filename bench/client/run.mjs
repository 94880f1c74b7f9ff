// Browser dev-loop benchmark: a page open in headless Chromium under `cloudwerk dev`, a file in
// client/ saved, and the time until the page has reloaded and shows the change. Also records
// cloudwerk dev's own "Rebuilt client/ in N ms" (the esbuild rebuild alone), and, beside it, an
// edit that only reloads: the floor is the browser's own reload of the page.
// Run: node bench/client/run.mjs   (EDITS=20 by default; needs Chromium: `which chromium`)
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const EDITS = Number(process.env.EDITS ?? 20)
const repo = join(import.meta.dirname, '..', '..')
const cli = join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const dir = mkdtempSync(join(tmpdir(), 'cw-bench-client-'))
cpSync(join(repo, 'packages', 'cli', 'test', 'apps', 'client-app'), dir, { recursive: true })
symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
const registry = mkdtempSync(join(tmpdir(), 'cw-bench-registry-'))

const child = spawn(process.execPath, [cli, 'dev', '--port', '0'], {
  cwd: dir,
  env: { ...process.env, NO_COLOR: '1', WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry },
  stdio: ['ignore', 'pipe', 'pipe'],
})
let output = ''
child.stdout.on('data', (chunk) => (output += chunk))
child.stderr.on('data', (chunk) => (output += chunk))
const browser = await chromium.launch({
  executablePath: execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(),
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
})
try {
  while (!/Ready on (http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`cloudwerk dev exited:\n${output}`)
    await sleep(20)
  }
  const url = /Ready on (http:\/\/\S+)/.exec(output)[1]
  const page = await browser.newPage()
  await page.goto(`${url}/`)
  await page.locator('#greeting', { hasText: 'hello main' }).waitFor()
  // One warm-up edit: esbuild's first incremental rebuild reads every file.
  const greet = join(dir, 'client', 'lib', 'greet.ts')
  const source = readFileSync(greet, 'utf8')
  const times = []
  const rebuilds = []
  for (let i = 0; i <= EDITS; i++) {
    const from = output.length
    const saved = performance.now()
    writeFileSync(greet, source.replace('hello ${name}', `edit ${i} \${name}`))
    await page.locator('#greeting', { hasText: `edit ${i} main` }).waitFor({ timeout: 20_000 })
    const ms = performance.now() - saved
    const rebuilt = /Rebuilt client\/ in (\d+) ms/.exec(output.slice(from))
    if (i > 0) {
      times.push(ms)
      if (rebuilt) rebuilds.push(Number(rebuilt[1]))
    }
    console.error(`edit ${i}: page shows it after ${Math.round(ms)} ms${rebuilt ? ` (esbuild ${rebuilt[1]} ms)` : ''}`)
    await sleep(200)
  }
  // The floor: the same page reloaded by the browser alone, nothing rebuilt.
  const reloads = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    await page.reload()
    await page.locator('#greeting', { hasText: 'main' }).waitFor()
    reloads.push(performance.now() - started)
  }
  const result = {
    edits: EDITS,
    editToPageMs: Math.round(median(times)),
    editToPageRange: [Math.round(Math.min(...times)), Math.round(Math.max(...times))],
    rebuildMs: rebuilds.length ? Math.round(median(rebuilds)) : undefined,
    pageReloadMs: Math.round(median(reloads)),
  }
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true })
  writeFileSync(join(repo, 'bench', 'results', 'client.json'), JSON.stringify(result, null, 2))
  console.log(JSON.stringify(result))
} finally {
  await browser.close()
  child.kill('SIGINT')
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)))
  rmSync(dir, { recursive: true, force: true })
  rmSync(registry, { recursive: true, force: true })
}
