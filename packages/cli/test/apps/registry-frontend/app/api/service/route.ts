import { env } from '@cloudwerk/core/bindings'

// The backend's routes, through a service binding.
export async function POST() {
  const { BACKEND } = env as unknown as { BACKEND: Fetcher }
  return BACKEND.fetch('http://backend/api/counter/a', { method: 'POST' })
}
