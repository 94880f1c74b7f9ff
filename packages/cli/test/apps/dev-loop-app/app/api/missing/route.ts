import { durableObjects } from '@cloudwerk/core/bindings'

// A typo'd object name: the error lists the objects that exist.
export function GET() {
  return (durableObjects as unknown as Record<string, DurableObjectNamespace>).Walet.getByName('w').fetch('http://x/')
}
