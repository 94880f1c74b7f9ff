import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatedPath } from '../pipeline/generated-paths.js'
import { readText, writeIfChanged } from '../util/fs.js'
import type { DevBuildResult } from './builder.js'

// `cloudwerk dev` starts from the last build when nothing it was made from has changed since:
// the start then skips loading the build code, scanning and bundling, and leaves the CPU to
// Miniflare. "Made from" is every file esbuild read for either bundle (the app's sources and
// the packages they import), the list of files in app/ (a new route is no input yet), the config
// files, the versions of the tools, and this CLI's own code. The build thread still builds for
// real right after the start, and a result that differs is swapped in like any other change.

const CONFIG_FILES = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml', '.dev.vars', '.env', 'tsconfig.json', 'package.json']
const CLI_DIST = join(dirname(fileURLToPath(import.meta.url)), '..')

interface LastBuild {
  fingerprint: string
  /** Esbuild's inputs, relative to the root: stat'ed again at the next start. */
  inputs: string[]
  build: DevBuildResult
}

/** The last build, when the app and the tools are as they were then; otherwise undefined. */
export function readLastBuild(root: string, environment: string | undefined): DevBuildResult | undefined {
  const text = readText(generatedPath(root, 'devLastBuild'))
  if (!text) return undefined
  try {
    const last = JSON.parse(text) as LastBuild
    return fingerprint(root, environment, last.inputs, last.build.objectsFile) === last.fingerprint ? last.build : undefined
  } catch {
    return undefined
  }
}

/** Remembers a successful build and what it was made from. */
export function saveLastBuild(root: string, environment: string | undefined, build: DevBuildResult, inputs: string[]): void {
  const last: LastBuild = {
    fingerprint: fingerprint(root, environment, inputs, build.objectsFile),
    inputs,
    build: { ...build, objectsChanged: false },
  }
  writeIfChanged(generatedPath(root, 'devLastBuild'), JSON.stringify(last))
}

function fingerprint(root: string, environment: string | undefined, inputs: string[], objectsFile: string): string {
  const hash = createHash('sha256').update(`${process.version}\0${environment ?? ''}\0`)
  const stamp = (path: string) => {
    try {
      const { size, mtimeMs } = statSync(path)
      hash.update(`${path}\0${size}\0${mtimeMs}\n`)
    } catch {
      hash.update(`${path}\0missing\n`)
    }
  }
  for (const input of inputs) stamp(join(root, input))
  for (const name of CONFIG_FILES) stamp(join(root, name))
  stamp(objectsFile)
  stamp(join(root, 'public'))
  const require = createRequire(join(root, 'package.json'))
  for (const tool of ['typescript', 'wrangler', 'esbuild', 'miniflare']) {
    try {
      stamp(require.resolve(`${tool}/package.json`))
    } catch {
      hash.update(`${tool}\0missing\n`)
    }
  }
  hash.update(listFiles(join(root, 'app')).join('\n'))
  for (const file of listFiles(CLI_DIST)) if (file.endsWith('.js')) stamp(join(CLI_DIST, file))
  return hash.digest('hex')
}

function listFiles(dir: string): string[] {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).sort()
  } catch {
    return []
  }
}
