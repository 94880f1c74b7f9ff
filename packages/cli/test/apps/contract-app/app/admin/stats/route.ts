import { json } from '@cloudwerk/core'

export const GET = () => json({ stats: true })
