// The 'old' deploy of the state-version benchmark (see worker.ts).
import { deploy } from './worker'

const app = deploy('old')
export class Current extends app.Current {}
export class OneKey extends app.OneKey {}
export class EveryItem extends app.EveryItem {}
export default app.worker
