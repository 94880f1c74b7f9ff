import { buildApp, type BuildResult } from '../pipeline/index.js'
import { parseFlags } from '../util/args.js'
import { bold, dim, formatBytes, formatTable, green } from '../util/log.js'

export const help = `Usage: cloudwerk build [--no-types]

Scans app/, writes .cloudwerk/ (Worker entry, types), keeps wrangler.jsonc's Durable Object
bindings and migrations in sync, bundles the Worker into dist/index.js, and writes the static
assets into dist/assets/: a copy of public/ and the browser bundles of client/.

  --no-types   skip writing .cloudwerk/types.d.ts`

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('build', argv, { 'no-types': { type: 'boolean' } }, false)
  if (values.help) return (console.log(help), 0)
  const result = await buildApp(process.cwd(), { types: !values['no-types'] })
  console.log(describeBuild(result))
  return 0
}

export function describeBuild(result: BuildResult): string {
  const { manifest } = result
  const routes = manifest.routes.map((r) => [r.path, r.methods.join(',') || dim('(none)'), dim(r.file)])
  const objects = manifest.objects.map((o) => [o.className, o.binding, dim(o.file)])
  return [
    bold(`Routes (${routes.length})`),
    routes.length ? indent(formatTable(routes)) : dim('  none: add app/**/route.ts'),
    bold(`Objects (${objects.length})`),
    objects.length ? indent(formatTable(objects)) : dim('  none: add app/objects/<name>.ts'),
    `${green('Built')} dist/index.js  ${formatBytes(result.bytes)} (gzip ${formatBytes(result.gzipBytes)})  in ${Math.round(result.ms)} ms`,
    ...(result.client.length
      ? [
          bold(`Browser (client/)`),
          indent(formatTable(result.client.map((f) => [f.file, formatBytes(f.bytes), dim(`gzip ${formatBytes(f.gzipBytes)}`)]))),
        ]
      : []),
  ].join('\n')
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ')
}
