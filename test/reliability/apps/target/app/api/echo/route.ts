import { json } from '@cloudwerk/core'

export async function POST(request: Request) {
  return json({ received: await request.json() })
}

export async function PUT(request: Request) {
  return json({ bytes: (await request.arrayBuffer()).byteLength })
}
