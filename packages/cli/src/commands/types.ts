import { readManifest } from '../pipeline/index.js'
import { writeTypes } from '../pipeline/write-types.js'
import { parseFlags } from '../util/args.js'

export const help = `Usage: cloudwerk types

Writes .cloudwerk/types.d.ts: the typed stubs of every object in app/objects, so that
durableObjects.<Class>.get(id).<method>(...) is checked by tsc, and dist/index.d.ts: the
Worker's classes with their methods, which \`wrangler types\` reads to type env.<BINDING>.
build and dev run it too.`

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('types', argv, {}, false)
  if (values.help) return (console.log(help), 0)
  const manifest = readManifest(process.cwd())
  const { file, changed } = await writeTypes(manifest)
  console.log(`${changed ? 'Wrote' : 'Up to date:'} ${file.slice(process.cwd().length + 1)} (${manifest.objects.length} objects)`)
  return 0
}
