import { readManifest } from '../pipeline/index.js'
import { writeTypes } from '../pipeline/write-types.js'
import { WORKER_TYPES_FILE } from '../pipeline/write-types.js'
import { writeWorkerTypes } from '../pipeline/write-worker-types.js'
import { parseFlags } from '../util/args.js'

export const help = `Usage: cloudwerk types

Writes .cloudwerk/types.d.ts: the typed stubs of every object in app/objects, so that
durableObjects.<Class>.get(id).<method>(...) is checked by tsc, and dist/index.d.ts: the
Worker's classes with their methods, which \`wrangler types\` reads to type env.<BINDING>.
build and dev write those two too.

When tsconfig.json includes ${WORKER_TYPES_FILE} (as the templates' do), also writes it as
\`wrangler types\` does (Env from wrangler.jsonc, .dev.vars/.env, and the Workers runtime types),
through wrangler's library, so it runs on Node 20 too. Generating takes a few seconds, so it
is skipped while wrangler.jsonc, .dev.vars/.env and dist/index.d.ts are unchanged. Run
\`cloudwerk build\` first: without dist/index.js the namespaces are not typed with the classes.`

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('types', argv, {}, false)
  if (values.help) return (console.log(help), 0)
  const manifest = readManifest(process.cwd())
  let { file, changed } = await writeTypes(manifest)
  const worker = await writeWorkerTypes(manifest.root)
  // The stubs are read with the globals worker-configuration.d.ts declares: new globals, new read.
  if (worker?.changed) changed = (await writeTypes(manifest)).changed || changed
  const name = (path: string) => path.slice(process.cwd().length + 1)
  console.log(`${changed ? 'Wrote' : 'Up to date:'} ${name(file)} (${manifest.objects.length} objects)`)
  if (worker) console.log(`${worker.changed ? 'Wrote' : 'Up to date:'} ${name(worker.file)} (wrangler types)`)
  return 0
}
