import { bindingNameFromClass, classNameFromBinding } from './naming.js'

// Filled by createApp from the generated entry. It is module state on purpose: routes, middleware
// and objects all run in the one isolate that evaluated the entry, and `durableObjects` must work
// in all of them without a request-scoped context.
const registered = new Map<string, string>()

/** Records which binding each object class uses (`{ Counter: 'COUNTER' }`); later calls add to it. */
export function registerObjects(objects: Readonly<Record<string, string>>): void {
  for (const [className, binding] of Object.entries(objects)) registered.set(className, binding)
}

/** The binding for a class: the registered one, else the naming convention. */
export function bindingForObject(className: string): string {
  return registered.get(className) ?? bindingNameFromClass(className)
}

/** Whether a binding is a Durable Object namespace (and not KV, a variable, a service...). */
export function isObjectNamespace(value: unknown): value is DurableObjectNamespace {
  const candidate = value as Partial<DurableObjectNamespace> | null
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.idFromName === 'function' &&
    typeof candidate.newUniqueId === 'function' &&
    // A service binding answers every property name with an RPC method, these two included.
    typeof (candidate as Record<string, unknown>)['cloudwerk: no such member'] === 'undefined'
  )
}

/**
 * The object names a caller can use: registered classes whose binding is in `env`, then the
 * other namespaces in `env`, named by the convention.
 */
export function knownObjectNames(env: Record<string, unknown>): string[] {
  const names: string[] = []
  const registeredBindings = new Set(registered.values())
  for (const [className, binding] of registered) if (isObjectNamespace(env[binding])) names.push(className)
  for (const [binding, value] of Object.entries(env)) {
    if (!registeredBindings.has(binding) && isObjectNamespace(value)) names.push(classNameFromBinding(binding))
  }
  return names
}
