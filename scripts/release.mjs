// One version for every framework package, bumped together (an app created by one version
// depends on exactly that version of each package). Usage, from the repository root:
//
//   npm run release -- 0.2.0     bump every package, pin their dependencies on each other,
//                                refresh package-lock.json, date the CHANGELOG's Unreleased
//                                section, then print the commands that publish and tag
//   npm run release -- --check   only check that the packages agree (the tests run this)
//
// Publishing needs npm credentials, so the script stops short of it and prints the commands.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Published, in dependency order. */
export const PACKAGES = ['packages/durable-object', 'packages/core', 'packages/client', 'packages/create-cloudwerk', 'packages/cli']
const DEPENDENTS = [
  'examples/chat',
  'examples/collab-doc',
  'examples/counter',
  'examples/live-room',
  'examples/rate-limiter',
  'examples/rate-limiter-package',
  'examples/shared-objects',
]
const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))
const writeJson = (path, value) => writeFileSync(path, JSON.stringify(value, null, 2) + '\n')

/** What disagrees: each a sentence naming the file. Empty when every package has one version. */
export function checkVersions(root) {
  const manifests = PACKAGES.map((dir) => ({ dir, pkg: readJson(join(root, dir, 'package.json')) }))
  const version = manifests[0].pkg.version
  const names = new Set(manifests.map(({ pkg }) => pkg.name))
  const problems = []
  for (const { dir, pkg } of manifests) {
    if (pkg.version !== version) problems.push(`${dir}/package.json: version ${pkg.version}, the others ${version}`)
  }
  for (const dir of [...PACKAGES, ...DEPENDENTS]) {
    const pkg = readJson(join(root, dir, 'package.json'))
    for (const field of FIELDS) {
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
        if (names.has(name) && spec !== version)
          problems.push(`${dir}/package.json: ${field}.${name} is "${spec}", must be exactly "${version}"`)
      }
    }
  }
  return problems
}

/** Sets `version` on every package and on every dependency between them. */
export function bumpVersions(root, version) {
  const names = new Set(PACKAGES.map((dir) => readJson(join(root, dir, 'package.json')).name))
  for (const dir of [...PACKAGES, ...DEPENDENTS]) {
    const path = join(root, dir, 'package.json')
    const pkg = readJson(path)
    if (PACKAGES.includes(dir)) pkg.version = version
    for (const field of FIELDS) for (const name of Object.keys(pkg[field] ?? {})) if (names.has(name)) pkg[field][name] = version
    writeJson(path, pkg)
  }
}

/** Turns "## Unreleased" into "## <version> (<date>)" under a fresh, empty Unreleased section. */
export function dateChangelog(root, version, date = new Date().toISOString().slice(0, 10)) {
  const path = join(root, 'CHANGELOG.md')
  const text = readFileSync(path, 'utf8')
  const match = /^## Unreleased\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)
  if (!match || !match[1].trim())
    throw new Error(`CHANGELOG.md: the "## Unreleased" section is missing or empty; write what changed in ${version} there first.`)
  writeFileSync(path, text.replace('## Unreleased\n', `## Unreleased\n\n## ${version} (${date})\n`))
}

function main([arg]) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  if (arg === '--check') {
    const problems = checkVersions(root)
    for (const problem of problems) console.error(problem)
    return problems.length ? 1 : 0
  }
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(arg ?? '')) {
    console.error('Usage: npm run release -- <version> (e.g. 0.2.0), or npm run release -- --check')
    return 1
  }
  dateChangelog(root, arg)
  bumpVersions(root, arg)
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  console.log(`\nAll packages are at ${arg}. Review, commit, then publish and tag:\n
  npm test
  git commit -am "Release ${arg}"
  ${PACKAGES.map((dir) => `npm publish -w ${dir} --access public`).join('\n  ')}
  git tag v${arg} && git push --tags`)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2))
