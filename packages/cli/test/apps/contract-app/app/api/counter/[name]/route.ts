import { json, type RouteHandler } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

export const POST: RouteHandler<{ name: string }> = async (_request, { params }) =>
  json({ value: await durableObjects.Counter.getByName(params.name).increment(2) })
