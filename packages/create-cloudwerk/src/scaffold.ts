import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyEdits, modify } from 'jsonc-parser'
import { findTemplates } from './templates.js'

/** The packages a template may depend on, released together under one version. */
export const FRAMEWORK = ['@cloudwerk/core', '@cloudwerk/durable-object', '@cloudwerk/client', '@cloudwerk/cli']

export interface ScaffoldOptions {
  template: string
  /** The app's package name (also its Worker name). */
  name: string
  /** The exact framework version the app depends on: the version of the package creating it. */
  version: string
  /** A Cloudwerk checkout to depend on (`file:` dependencies) instead of the published packages. */
  checkout?: string
  /** Start `wrangler.jsonc` with an empty `exports` map: the build then keeps objects there, not in `migrations`. */
  exports?: boolean
}

/** Copies a template into `target` and points its framework dependencies at one exact version (or a checkout). */
export function scaffold(target: string, options: ScaffoldOptions): void {
  const source = join(findTemplates(), options.template)
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !/(^|\/)(node_modules|\.cloudwerk|\.wrangler|dist)(\/|$)/.test(path.slice(source.length)),
  })
  // npm would drop a file named .gitignore from a published package, so templates keep it as gitignore.
  if (existsSync(join(target, 'gitignore'))) renameSync(join(target, 'gitignore'), join(target, '.gitignore'))
  writePackageJson(target, options)
  // The Worker's name is its identity on deploy: two apps with one name would replace each other.
  const wrangler = join(target, 'wrangler.jsonc')
  if (existsSync(wrangler)) {
    const text = readFileSync(wrangler, 'utf8')
    let edited = applyEdits(text, modify(text, ['name'], options.name, {}))
    if (options.exports)
      edited = applyEdits(edited, modify(edited, ['exports'], {}, { formattingOptions: { insertSpaces: true, tabSize: 2 } }))
    writeFileSync(wrangler, edited)
  }
}

function writePackageJson(target: string, options: ScaffoldOptions): void {
  const path = join(target, 'package.json')
  const pkg = JSON.parse(readFileSync(path, 'utf8'))
  pkg.name = options.name
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of FRAMEWORK) {
      if (!pkg[field]?.[name]) continue
      pkg[field][name] = options.checkout ? `file:${join(options.checkout, 'packages', name.split('/')[1])}` : options.version
    }
  }
  writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n')
}
