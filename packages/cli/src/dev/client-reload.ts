// Development only: what makes pages follow the code in `cloudwerk dev`. The Worker in front of
// the app (src/workers/dev-front.ts) hands client/'s bundles to Node, which serves them from
// memory, and adds one script tag to every HTML page. That script long-polls the dev server: it
// reloads the page when the app changes, and shows an overlay while client/ does not compile.
// None of this is ever part of a build.
import { EVENTS_PATH, RELOAD_SCRIPT_PATH } from '../workers/front-wire.js'
import type { ClientBuild } from './client-bundles.js'

// A poll is answered after this long even when nothing changed, so no proxy times it out.
const POLL_MS = 25_000

/** The script every page gets in dev (plain browser JavaScript). */
const RELOAD_SCRIPT = `// cloudwerk dev: reloads this page when the app changes; shows client/ build errors.
function show(error) {
  let overlay = document.getElementById('cloudwerk-dev-overlay')
  if (!error) return overlay?.remove()
  if (!overlay) {
    overlay = document.createElement('div')
    overlay.id = 'cloudwerk-dev-overlay'
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:24px;background:rgba(24,24,27,.95);color:#fca5a5;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap'
    document.documentElement.append(overlay)
  }
  overlay.textContent = 'client/ does not compile; this page runs the last good build.\\n\\n' + error + '\\n\\nFix it and save: the page reloads.'
}
async function follow() {
 let known
 for (;;) {
  let state
  try {
    const response = await fetch('${EVENTS_PATH}' + (known === undefined ? '' : '?since=' + known), { cache: 'no-store' })
    if (!response.ok) throw new Error(response.statusText)
    state = await response.json()
  } catch {
    // The dev server restarts workerd, or stopped: ask again shortly.
    await new Promise((resolve) => setTimeout(resolve, 250))
    continue
  }
  if (known !== undefined && state.version !== known && !state.error) location.reload()
  known = state.version
  show(state.error)
 }
}
follow()
`

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
}

type ResponseClass = new (body?: string | Uint8Array | null, init?: { status?: number; headers?: Record<string, string> }) => unknown

/**
 * The dev server's side: the current client bundles and a version that pages follow. Every
 * change bumps the version; a page that sees a new version without an error reloads.
 */
export function createClientReload(Response: ResponseClass) {
  let version = 0
  let files: Record<string, Uint8Array> = {}
  let hash = ''
  let error: string | undefined
  const waiting = new Set<() => void>()
  const release = () => {
    for (const resolve of waiting) resolve()
    waiting.clear()
  }

  /** Serves /client/* (the bundles), the reload script and the long poll. */
  async function serve(request: { url: string }): Promise<unknown> {
    const url = new URL(request.url)
    if (url.pathname === RELOAD_SCRIPT_PATH)
      return new Response(RELOAD_SCRIPT, { headers: { 'content-type': TYPES.js, 'cache-control': 'no-store' } })
    if (url.pathname === EVENTS_PATH) {
      if (url.searchParams.get('since') === String(version)) await nextVersion()
      return new Response(JSON.stringify({ version, error }), {
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      })
    }
    const file = url.pathname.startsWith('/client/') ? files[decodeURIComponent(url.pathname.slice('/client/'.length))] : undefined
    if (!file) return new Response('Not found', { status: 404 })
    const type = TYPES[url.pathname.split('.').pop()!] ?? 'application/octet-stream'
    return new Response(file, { headers: { 'content-type': type, 'cache-control': 'no-cache' } })
  }

  // Resolves at the next change, or after POLL_MS.
  const nextVersion = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS)
      function done() {
        clearTimeout(timer)
        waiting.delete(done)
        resolve()
      }
      timer.unref()
      waiting.add(done)
    })

  return {
    /** Takes new client bundles; returns whether pages were told (they changed, or the error did). */
    update(client: ClientBuild | undefined): boolean {
      if (!client?.error) files = client?.files ?? {}
      if (client?.error === error && (client?.hash ?? '') === hash) return false
      error = client?.error
      hash = client?.hash ?? ''
      version++
      release()
      return true
    },
    /** The Worker or public/ changed and the new one answers: pages reload. */
    reloadPages() {
      version++
      release()
    },
    /** Answers every waiting page now (before workerd restarts or stops). */
    release,
    serve,
  }
}

export type ClientReload = ReturnType<typeof createClientReload>
