import { HttpError, json } from '@cloudwerk/core'
import type { Edit } from '../../../objects/shared-doc'
import { findDoc } from '../find-doc'

type Context = { params: { id: string } }

const MAX_AUTHOR_LENGTH = 40

function checkAuthor(author: unknown): string {
  const name = typeof author === 'string' ? author.trim() : ''
  if (!name || name.length > MAX_AUTHOR_LENGTH) throw new HttpError(400, `Give an author of 1 to ${MAX_AUTHOR_LENGTH} characters.`)
  return name
}

/**
 * GET /api/docs/:id: `{ content, version }`; with ?version=n, the text as it was at version n.
 * With `Upgrade: websocket` and ?author=, a live connection for editing (see public/doc.js).
 */
export async function GET(request: Request, { params }: Context) {
  const doc = findDoc(params.id)
  const url = new URL(request.url)
  if (request.headers.get('Upgrade')?.toLowerCase() === 'websocket') {
    url.searchParams.set('author', checkAuthor(url.searchParams.get('author')))
    return doc.fetch(new Request(url, request))
  }
  const asked = url.searchParams.get('version')
  if (asked === null) return json(await doc.getDocument())
  const version = Number(asked)
  if (!Number.isInteger(version) || version < 0) throw new HttpError(400, `?version= must be a whole number, got "${asked}".`)
  const found = await doc.getDocument(version)
  if (!found) throw new HttpError(404, `Version ${version} does not exist yet.`)
  return json(found)
}

/**
 * POST /api/docs/:id with `{ base, position, removed, inserted, author }`: one edit, as editors send
 * over the WebSocket. 200 `{ version }`; 409 when `base` is not the current version; 400 when invalid.
 */
export async function POST(request: Request, { params }: Context) {
  const doc = findDoc(params.id)
  const body = await request.json<Partial<Edit> & { base?: number; author?: unknown }>().catch(() => {
    throw new HttpError(400, 'Send the edit as JSON: { "base": 0, "position": 0, "removed": 0, "inserted": "Hello", "author": "ada" }')
  })
  const { base, position, removed, inserted } = body
  // The object checks the edit (it checks WebSocket frames the same way) and says what is wrong.
  const result = await doc.edit(base as number, { position, removed, inserted } as Edit, checkAuthor(body.author))
  if (result.ok) return json({ version: result.version })
  return json({ error: result.error, version: result.version }, result.reason === 'stale' ? 409 : 400)
}
