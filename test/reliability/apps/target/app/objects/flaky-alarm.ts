import { defineDurableObject } from '@cloudwerk/durable-object'

// An alarm that fails its first `failures` attempts after changing the state. Attempts are
// logged in SQL, which the turn does not roll back, so the test sees every attempt.
export default defineDurableObject<{ fired: number; log: string[] }>({
  init: () => ({ fired: 0, log: [] }),
  async alarm({ retryCount }) {
    this.state.fired += 1
    this.state.log.push(`attempt ${retryCount}`)
    const failures = (await this.ctx.storage.get<number>('failures')) ?? 0
    const stateSeen = JSON.stringify(this.state)
    this.ctx.sql.run('CREATE TABLE IF NOT EXISTS attempts (retry_count INTEGER, state TEXT)')
    this.ctx.sql.run('INSERT INTO attempts VALUES (?, ?)', [retryCount, stateSeen])
    if (retryCount < failures) throw new Error(`attempt ${retryCount} fails on purpose`)
  },
  methods: {
    async arm(failures: number, inMs: number) {
      await this.ctx.storage.put('failures', failures)
      await this.ctx.storage.setAlarm(Date.now() + inMs)
    },
    async read() {
      return this.state
    },
    async attempts() {
      this.ctx.sql.run('CREATE TABLE IF NOT EXISTS attempts (retry_count INTEGER, state TEXT)')
      return this.ctx.sql.exec<{ retry_count: number; state: string }>('SELECT retry_count, state FROM attempts ORDER BY rowid').toArray()
    },
    async alarmAt() {
      return this.ctx.storage.getAlarm()
    },
  },
})
