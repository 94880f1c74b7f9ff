// Types for an app's tests (`"types": ["@cloudwerk/cli/test-types"]` in test/tsconfig.json), which
// are typed with the Workers runtime types: what tests hold (stubs, ids, responses, WebSockets) are
// the Worker's values, with startTestApp as with the pool.
//
// Vitest 4 declares its bench API with tinybench 2.9, whose Task and Bench narrow EventTarget's
// listener methods to their own event names. The Workers' EventTarget declares those methods
// generic over any event name, so tsc (without skipLibCheck) refuses the narrowing as an override.
// A tinybench Task or Bench is an EventTarget that takes any event name, so these declarations add
// the general signatures back beside the narrow ones, as tinybench 6 declares them itself
// (tinylibs/tinybench#646). Everything else, tinybench included, stays checked.
import 'tinybench'

type AddOptions = EventTargetAddEventListenerOptions | boolean
type RemoveOptions = EventTargetEventListenerOptions | boolean

declare module 'tinybench' {
  interface Task {
    addEventListener(type: string, handler: EventListenerOrEventListenerObject, options?: AddOptions): void
    removeEventListener(type: string, handler: EventListenerOrEventListenerObject, options?: RemoveOptions): void
  }
  interface Bench {
    addEventListener(type: string, handler: EventListenerOrEventListenerObject, options?: AddOptions): void
    removeEventListener(type: string, handler: EventListenerOrEventListenerObject, options?: RemoveOptions): void
  }
}
