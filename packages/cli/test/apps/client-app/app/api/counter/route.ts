import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'
import type { Count } from '../../shared/count'

export async function GET() {
  return json({ value: await durableObjects.Counter.getByName('page').read() } satisfies Count)
}

export async function POST() {
  return json({ value: await durableObjects.Counter.getByName('page').increment() } satisfies Count)
}
