import { json, type RouteHandler } from '@cloudwerk/core'

export const GET: RouteHandler<{ category: string }> = (_request, { params }) => json({ category: params.category })
