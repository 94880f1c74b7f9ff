import { STATE_PATH } from '../dev/state-view.js'
import { startDevServer } from '../dev/server.js'
import { parseFlags } from '../util/args.js'
import { UserError } from '../util/errors.js'
import { bold, cyan, dim } from '../util/log.js'

export const help = `Usage: cloudwerk dev [--port 8787] [--host 127.0.0.1] [--env <name>]

Builds the app and serves it on workerd (Miniflare), rebuilding on every change to app/,
public/ and wrangler.jsonc. Local data persists in .wrangler/state/. Ctrl-C stops it.

  --port   port to listen on (default 8787)
  --host   address to listen on (default 127.0.0.1)
  --env    wrangler environment whose bindings to use`

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('dev', argv, { port: { type: 'string' }, host: { type: 'string' }, env: { type: 'string' } }, false)
  if (values.help) return console.log(help), 0
  const port = Number(values.port ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`cloudwerk dev: --port must be a port number, got "${values.port}".`)
  const server = await startDevServer({
    root: process.cwd(),
    port,
    host: String(values.host ?? '127.0.0.1'),
    environment: values.env as string | undefined,
  })
  console.log(`${bold('Ready')} on ${cyan(server.url)}`)
  for (const r of server.manifest.routes) console.log(dim(`  ${r.methods.join(',').padEnd(12)} ${r.path}`))
  for (const o of server.manifest.objects) console.log(dim(`  object ${o.className} (${o.binding})`))
  console.log(`${dim('Local Explorer')} ${cyan(`${server.url}/cdn-cgi/explorer`)}  ${dim('object state')} ${cyan(server.url + STATE_PATH)}`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  return 0
}
