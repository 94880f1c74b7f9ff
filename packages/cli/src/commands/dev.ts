import { basename, resolve } from 'node:path'
import { STATE_PATH } from '../dev/state-page.js'
import { startDevServer, type DevServer } from '../dev/server.js'
import { parseFlags } from '../util/args.js'
import { UserError } from '../util/errors.js'
import { bold, cyan, dim } from '../util/log.js'

export const help = `Usage: cloudwerk dev [--port 8787] [--host 127.0.0.1] [--env <name>] [app folders...]

Builds the app and serves it on workerd (Miniflare), rebuilding on every change to app/,
public/ and wrangler.jsonc. Local data persists in .wrangler/state/. Ctrl-C stops it.

With folders (cloudwerk dev ../backend .), serves each of those apps, each rebuilt on its own
changes; they reach each other by Worker name (script_name, service bindings). The last folder
is served on --port, the others on free ports.

  --port   port to listen on (default 8787)
  --host   address to listen on (default 127.0.0.1)
  --env    wrangler environment whose bindings to use`

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('dev', argv, { port: { type: 'string' }, host: { type: 'string' }, env: { type: 'string' } })
  if (values.help) return (console.log(help), 0)
  const port = Number(values.port ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`cloudwerk dev: --port must be a port number, got "${values.port}".`)
  const roots = positionals.length ? positionals.map((folder) => resolve(folder)) : [process.cwd()]
  const host = String(values.host ?? '127.0.0.1')
  // One dev server (one workerd) per app, not one Miniflare for all: Miniflare's storage folders
  // and address are shared by all its Workers, and each app keeps its data in its own
  // .wrangler/state (where its own `cloudwerk dev` finds it) and answers on its own port.
  // One after the other, the Workers called first: the last app finds the others running.
  const servers: DevServer[] = []
  try {
    for (const [i, root] of roots.entries()) {
      const last = i === roots.length - 1
      const prefix = roots.length > 1 ? dim(`[${basename(root)}] `) : ''
      const log = prefix ? (line: string) => console.log(prefix + line) : undefined
      servers.push(await startDevServer({ root, port: last ? port : 0, host, environment: values.env as string | undefined, log }))
    }
  } catch (error) {
    for (const server of servers) await server.close()
    throw error
  }
  for (const [i, server] of servers.entries()) {
    const last = i === servers.length - 1
    console.log(last ? `${bold('Ready')} on ${cyan(server.url)}` : `${bold(basename(roots[i]))} on ${cyan(server.url)}`)
    for (const r of server.manifest.routes) console.log(dim(`  ${r.methods.join(',').padEnd(12)} ${r.path}`))
    for (const o of server.manifest.objects) console.log(dim(`  object ${o.className} (${o.binding})`))
    console.log(
      `${dim('Local Explorer')} ${cyan(`${server.url}/cdn-cgi/explorer`)}  ${dim('object state')} ${cyan(server.url + STATE_PATH)}`,
    )
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  for (const server of servers) await server.close()
  return 0
}
