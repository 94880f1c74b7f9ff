// Reads the code blocks of docs/*.md and writes the complete ones into projects on disk.
//
// A block is a complete file when its first line is `// file: <path>` (or `# file: <path>` for
// formats whose comments start with #). Paths under app/ and test/, and files at the top
// (.dev.vars, vitest.config.ts), belong to the main docs app; a path whose first folder is anything
// else (backend/..., front/...) belongs to a separate app of that name, as in the two-Worker setup
// of deploying.md.
// A block preceded by `<!-- checked: <name> -->` is compared with real output by the tests.
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../../', import.meta.url))
export const DOCS = join(REPO, 'docs')
export const CLI = join(REPO, 'packages/cli/bin/cloudwerk.js')
export const TSC = join(REPO, 'node_modules/typescript/bin/tsc')
export const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs')
const TEMPLATE = join(REPO, 'templates/basic')

export interface Block {
  page: string
  lang: string
  code: string
  /** The `// file:` path, for complete files. */
  file?: string
  /** The `<!-- checked: name -->` name, for blocks the tests compare with real output. */
  checked?: string
}

const FENCE = /(?:<!--\s*checked:\s*([\w-]+)\s*-->\n)?^```(\S*)\n([\s\S]*?)^```$/gm
const FILE_MARKER = /^(?:\/\/|#) file: (\S+)\n/

export function readPages(): Map<string, string> {
  const pages = new Map<string, string>()
  for (const name of readdirSync(DOCS)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    pages.set(name, readFileSync(join(DOCS, name), 'utf8'))
  }
  return pages
}

export function readBlocks(pages: Map<string, string>): Block[] {
  const blocks: Block[] = []
  for (const [page, text] of pages) {
    for (const match of text.matchAll(FENCE)) {
      const [, checked, lang, code] = match
      blocks.push({ page, lang, code, file: FILE_MARKER.exec(code)?.[1], checked })
    }
  }
  return blocks
}

export function checkedBlock(blocks: Block[], name: string): Block {
  const block = blocks.find((b) => b.checked === name)
  if (!block) throw new Error(`No block marked <!-- checked: ${name} --> in docs/`)
  return block
}

/** `app/...` -> the main app (''); `front/app/...` -> 'front'. */
export function appOf(file: string): string {
  const [first, ...rest] = file.split('/')
  return rest.length === 0 || first === 'app' || first === 'test' ? '' : first
}

/**
 * Writes every complete file into `root` (one folder per app), and gives each app what a created
 * app has: node_modules (the repository's), and the template's tsconfig.json, test/tsconfig.json and
 * wrangler.jsonc and a package.json unless the docs provide them.
 */
export function writeApps(root: string, blocks: Block[]): string[] {
  const apps = new Set<string>([''])
  for (const block of blocks) {
    if (!block.file) continue
    apps.add(appOf(block.file))
    const path = join(root, block.file)
    mkdirSync(dirname(path), { recursive: true })
    // JSON has no comments: there the marker line is not part of the file.
    writeFileSync(path, block.file.endsWith('.json') ? block.code.replace(FILE_MARKER, '') : block.code)
  }
  for (const app of apps) {
    const dir = join(root, app)
    mkdirSync(dir, { recursive: true })
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
    for (const config of ['tsconfig.json', 'test/tsconfig.json']) {
      mkdirSync(dirname(join(dir, config)), { recursive: true })
      if (!existsSync(join(dir, config))) copyFileSync(join(TEMPLATE, config), join(dir, config))
    }
    if (!existsSync(join(dir, 'wrangler.jsonc'))) copyFileSync(join(TEMPLATE, 'wrangler.jsonc'), join(dir, 'wrangler.jsonc'))
    const name = app || 'docs-app'
    if (!existsSync(join(dir, 'package.json')))
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2))
  }
  return [...apps]
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to its end; never rejects, so a test can assert on a failure's output. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', WRANGLER_SEND_METRICS: 'false', ...options.env }
  // `undefined` in options.env removes the variable.
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

export function cloudwerk(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { cwd, env })
}

/**
 * What the template's `npm run typecheck` runs before tsc, on an app that was built: `cloudwerk
 * types` writes worker-configuration.d.ts as `wrangler types` does, then the stub types read with it.
 */
export function writeAppTypes(cwd: string): Promise<RunResult> {
  return cloudwerk(cwd, ['types'])
}

/** A Node.js 22 binary for wrangler (the repository installs one from npm), if there is one. */
export function node22(): string | undefined {
  const candidates = [process.env.CLOUDWERK_NODE, join(REPO, 'node_modules/.bin/node'), process.execPath]
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue
    const major = Number(/^v?(\d+)/.exec(candidate === process.execPath ? process.version : versionOf(candidate))?.[1])
    if (major >= 22) return candidate
  }
  return undefined
}

function versionOf(binary: string): string {
  try {
    // Synchronous on purpose: called once, while the tests are being declared.
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}
