// npm runs this before packing (prepack) and after (postpack --remove). The repository keeps one
// copy of the templates, at its root, which other code and docs point at; the tarball needs its
// own copy so that an installed create-cloudwerk finds them next to its code.
import { cpSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const source = fileURLToPath(new URL('../../../templates/', import.meta.url))
const target = fileURLToPath(new URL('../templates/', import.meta.url))
const generated = /(^|\/)(node_modules|\.cloudwerk|\.wrangler|dist)(\/|$)/

rmSync(target, { recursive: true, force: true })
if (!process.argv.includes('--remove')) {
  cpSync(source, target, { recursive: true, filter: (path) => !generated.test(path.slice(source.length)) })
}
