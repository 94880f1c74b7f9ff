// Development only: the Worker in front of the app in `cloudwerk dev` (dev/front-worker.ts wires
// it). It hands client/'s bundles and the dev server's own paths to Node, which serves them from
// memory (no assets folder to rewrite, so workerd keeps running and connections stay open), and
// adds the reload script (dev/client-reload.ts) to every HTML page. Never part of a build.
import { DEV_PATH_PREFIX, FRONT_BINDINGS, RELOAD_SCRIPT_PATH } from './front-wire.js'

type Env = Record<(typeof FRONT_BINDINGS)[keyof typeof FRONT_BINDINGS], Fetcher>

const TAG = `<script type="module" src="${RELOAD_SCRIPT_PATH}"></script>`

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url)
    const read = request.method === 'GET' || request.method === 'HEAD'
    const devPath = pathname.startsWith(DEV_PATH_PREFIX)
    if ((read && pathname.startsWith('/client/')) || devPath) {
      const response = await env[FRONT_BINDINGS.client].fetch(request)
      // Not a bundle: the app may serve that path itself (public/client/ without client/).
      if (response.status !== 404 || devPath) return response
    }
    let response = await env[FRONT_BINDINGS.app].fetch(request)
    // A static file's ETag is fixed when workerd starts, and an edit keeps workerd running: a
    // browser that revalidated would be told its old copy is current. So nothing is cached in dev.
    if (response.headers.has('etag') && response.status !== 101) {
      response = new Response(response.body, response)
      response.headers.set('cache-control', 'no-store')
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response
    return new HTMLRewriter()
      .onDocument({
        end(end) {
          end.append(TAG, { html: true })
        },
      })
      .transform(response)
  },
} satisfies ExportedHandler<Env>
