import { scanApp } from '../pipeline/scan.js'
import { parseFlags } from '../util/args.js'
import { bold, formatTable } from '../util/log.js'

export const help = `Usage: cloudwerk routes

Prints the route table: URL pattern, exported methods, file, middleware.`

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('routes', argv, {}, false)
  if (values.help) return (console.log(help), 0)
  const { routes } = scanApp(process.cwd())
  const rows = routes.map((r) => [r.path, r.methods.join(','), r.file, r.middleware.join(', ')])
  console.log(formatTable([['pattern', 'methods', 'file', 'middleware'].map(bold), ...rows]))
  return 0
}
