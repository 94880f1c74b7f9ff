import { json, type RouteHandler } from '@cloudwerk/core'

export const GET: RouteHandler<{ path: string }> = (_request, { params }) => json({ path: params.path })
