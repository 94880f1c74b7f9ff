import { env } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

export async function GET() {
  const { GREETING, SECRET, KV } = env as unknown as { GREETING: string; SECRET: string; KV: KVNamespace }
  const visits = Number((await KV.get('visits')) ?? 0) + 1
  await KV.put('visits', String(visits))
  return json({ GREETING, SECRET, visits })
}
