import { json, type RouteHandler } from '@cloudwerk/core'

export const GET: RouteHandler<{ id: string }> = (_request, { params }) => json({ room: params.id })
export const DELETE: RouteHandler<{ id: string }> = () => new Response(null, { status: 204 })
