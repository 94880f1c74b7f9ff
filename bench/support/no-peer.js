// Stand-in for `partyserver` and `agents` when bench/node_modules is not installed: lets the
// benchmark Workers bundle with only the Cloudwerk and hand-written objects bound.
export class Server {}
export class Agent {}
const missing = (name) => () => Promise.reject(new Error(`${name} is not installed (cd bench && npm install --no-audit --no-fund)`))
export const getServerByName = missing('partyserver')
export const routePartykitRequest = missing('partyserver')
export const getAgentByName = missing('agents')
