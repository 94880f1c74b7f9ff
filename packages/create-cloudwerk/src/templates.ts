import { existsSync, readdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { suggestName } from '@cloudwerk/durable-object/shared/suggest'
import { CreateError } from './errors.js'

const PACKAGE = fileURLToPath(new URL('../', import.meta.url))

/**
 * The root of the Cloudwerk repository when this package runs from a checkout of it (where
 * --link can point the app at the checkout's packages), else undefined. An installed package has
 * no checkout around it: `<app>/node_modules/create-cloudwerk/../../` is some user's project.
 */
export function findCheckout(): string | undefined {
  const root = join(PACKAGE, '..', '..')
  const self = join(root, 'packages', 'create-cloudwerk')
  if (!existsSync(join(root, 'templates')) || !existsSync(self)) return undefined
  return realpathSync(self) === realpathSync(PACKAGE) ? root : undefined
}

/**
 * The templates folder: in a checkout, the repository's own `templates/` (the one source of
 * truth); in an installed package, the copy that `prepack` put into the tarball.
 */
export function findTemplates(): string {
  const checkout = findCheckout()
  return checkout ? join(checkout, 'templates') : join(PACKAGE, 'templates')
}

export function listTemplates(): string[] {
  const folder = findTemplates()
  if (!existsSync(folder)) throw new Error(`create-cloudwerk was packed without its templates (${folder} is missing)`)
  // readdirSync's order depends on the file system: sort so the prompt and messages are stable.
  return readdirSync(folder)
    .filter((name) => existsSync(join(folder, name, 'package.json')))
    .sort()
}

export function checkTemplate(template: string): void {
  const names = listTemplates()
  if (names.includes(template)) return
  const hint = suggestName(template, names)
  throw new CreateError(
    `There is no template "${template}".${hint ? ` Did you mean ${hint}?` : ''} Choose one of: ${names.join(', ')} (--template <name>).`,
  )
}
