import { text } from '@cloudwerk/core'

export const GET = () => text('home')
