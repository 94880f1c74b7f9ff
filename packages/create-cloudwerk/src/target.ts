import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import validatePackageName from 'validate-npm-package-name'
import { CreateError } from './errors.js'

/** The folder must be missing or empty: create never overwrites a file. */
export function checkTarget(dir: string, target: string): void {
  if (!existsSync(target)) return
  if (!statSync(target).isDirectory()) throw new CreateError(`${dir} is a file. Choose a new folder name for the app.`)
  if (readdirSync(target).length)
    throw new CreateError(`${dir} is not empty. Cloudwerk never overwrites files: choose a new folder name or empty this one.`)
}

/**
 * The app's package name is its folder's name, and npm must accept it (it is also the Worker's
 * name). Rather than quietly rename the app, say which name would work.
 */
export function checkName(target: string): string {
  const name = basename(target)
  const result = validatePackageName(name)
  if (result.validForNewPackages) return name
  const reason = [...(result.errors ?? []), ...(result.warnings ?? [])][0]
  const fixed =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-~]+/g, '-')
      .replace(/^[-.~]+|-+$/g, '') || 'my-app'
  throw new CreateError(
    `"${name}" is not a package name npm accepts (${reason}): the app is named after its folder, so choose a folder name like ${fixed}.`,
  )
}

/**
 * Undoes a create that failed half-way: removes the folder if create made it, or empties it if it
 * was there (empty) before.
 */
export function removeCreated(target: string, existed: boolean): void {
  if (!existed) return rmSync(target, { recursive: true, force: true })
  for (const entry of readdirSync(target)) rmSync(`${target}/${entry}`, { recursive: true, force: true })
}
