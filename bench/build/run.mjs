// Build benchmark: `cloudwerk build` of a generated app with 200 routes and 50 objects.
// Run: node bench/build/run.mjs   (after `npm install`, which compiles the CLI)
// Reports medians of 5 runs for a cold build (no .cloudwerk/, types written), a warm build
// (types cached) and a build without types; writes bench/results/build.json.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GENERATED_DIR } from '../../packages/cli/dist/pipeline/generated-paths.js'
import { buildApp } from '../../packages/cli/dist/pipeline/index.js'

const ROUTES = 200
const OBJECTS = 50
const RUNS = 5
const repo = join(import.meta.dirname, '..', '..')

function generateApp() {
  const root = mkdtempSync(join(tmpdir(), 'cw-bench-build-'))
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'))
  const write = (file, text) => {
    mkdirSync(join(root, file, '..'), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  write('package.json', JSON.stringify({ name: 'bench-app', type: 'module' }))
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'ESNext',
        moduleResolution: 'Bundler',
        target: 'ES2022',
        types: ['@cloudflare/workers-types'],
        skipLibCheck: true,
      },
      include: ['app', '.cloudwerk/types.d.ts'],
    }),
  )
  for (let i = 0; i < OBJECTS; i++) {
    write(
      `app/objects/thing-${i}.ts`,
      `import { defineDurableObject } from '@cloudwerk/durable-object'
interface State { value: number; items: Array<{ id: string; n: number }> }
export default defineDurableObject<State>({
  init: () => ({ value: 0, items: [] }),
  methods: {
    async add(id: string, n = 1) { this.state.items.push({ id, n }); this.state.value += n; return this.state.value },
    async list() { return this.state.items },
  },
})
`,
    )
  }
  for (let i = 0; i < ROUTES; i++) {
    const object = `Thing${i % OBJECTS}`
    write(
      `app/api/r${i}/[id]/route.ts`,
      `import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'
export async function POST(_request: Request, { params }: { params: { id: string } }) {
  return json({ value: await durableObjects.${object}.getByName(params.id).add('x', ${i}) })
}
export async function GET(_request: Request, { params }: { params: { id: string } }) {
  return json({ items: await durableObjects.${object}.getByName(params.id).list() })
}
`,
    )
  }
  return root
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function time(root, options, before) {
  const times = []
  for (let i = 0; i < RUNS; i++) {
    before?.()
    const started = performance.now()
    await buildApp(root, options)
    times.push(performance.now() - started)
  }
  return median(times)
}

const root = generateApp()
try {
  const clean = () => rmSync(join(root, GENERATED_DIR), { recursive: true, force: true })
  const cold = await time(root, {}, clean)
  const warm = await time(root, {})
  const noTypes = await time(root, { types: false }, clean)
  const result = {
    routes: ROUTES,
    objects: OBJECTS,
    runs: RUNS,
    coldMs: Math.round(cold),
    warmMs: Math.round(warm),
    noTypesMs: Math.round(noTypes),
    targetMs: 1000,
  }
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true })
  writeFileSync(join(repo, 'bench', 'results', 'build.json'), JSON.stringify(result, null, 2))
  console.log(`| build of ${ROUTES} routes, ${OBJECTS} objects (median of ${RUNS}) | ms | target |`)
  console.log('|---|---|---|')
  console.log(`| cold (types generated) | ${result.coldMs} | < 1000 |`)
  console.log(`| warm (types cached) | ${result.warmMs} | < 1000 |`)
  console.log(`| without types | ${result.noTypesMs} | < 1000 |`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
