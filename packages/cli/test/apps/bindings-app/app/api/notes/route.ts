import { env } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

interface Bindings {
  DB: D1Database
  FILES: R2Bucket
}

// Each note goes to D1 (a row) and to R2 (an object); the answer counts both.
export async function POST(request: Request) {
  const { DB, FILES } = env as unknown as Bindings
  const text = await request.text()
  await DB.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)')
  const { meta } = await DB.prepare('INSERT INTO notes (text) VALUES (?)').bind(text).run()
  await FILES.put(`notes/${meta.last_row_id}.txt`, text)
  const rows = await DB.prepare('SELECT COUNT(*) AS n FROM notes').first<number>('n')
  const files = (await FILES.list({ prefix: 'notes/' })).objects.length
  const last = await (await FILES.get(`notes/${meta.last_row_id}.txt`))!.text()
  return json({ rows, files, last })
}
