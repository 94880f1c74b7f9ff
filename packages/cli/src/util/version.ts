import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** This CLI's version, from its package.json: every framework package is released under it. */
export function readVersion(): string {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version
}

/** The installed version of a package the CLI depends on (wrangler, typescript): caches key on it. */
export function installedVersion(name: string): string {
  return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version
}
