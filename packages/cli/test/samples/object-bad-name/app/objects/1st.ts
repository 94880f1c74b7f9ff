import { defineDurableObject } from '@cloudwerk/durable-object'
export default defineDurableObject({ methods: { async ping() { return 'pong' } } })
