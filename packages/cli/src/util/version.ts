import { readFileSync } from 'node:fs'

/** This CLI's version, from its package.json: every framework package is released under it. */
export function readVersion(): string {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version
}
