import { defineDurableObject } from '@cloudwerk/durable-object'

// A batch of jobs, one scheduled run each. Each run records its attempt with direct SQL (outside
// the turn, so kept even when the turn is lost) and its result in the state (part of the turn).
export default defineDurableObject<{ done: string[] }>({
  init: () => ({ done: [] }),
  schedules: {
    heartbeat: { every: '1 hour', run: 'beat' },
  },
  methods: {
    async plan(count: number, firstInMs: number, spacingMs: number, failing: string[] = []) {
      const start = Date.now() + firstInMs
      for (let index = 0; index < count; index++) {
        const job = `job-${index}`
        this.schedule.at(start + index * spacingMs, 'work', [job, failing.includes(job)], { key: job })
      }
    },
    async work(job: string, fail: boolean) {
      this.ctx.sql.run('CREATE TABLE IF NOT EXISTS attempts (job TEXT NOT NULL)')
      this.ctx.sql.run('INSERT INTO attempts (job) VALUES (?)', job)
      // Some work that takes time, so a kill can land inside a run as well as between runs.
      await new Promise((resolve) => setTimeout(resolve, 2))
      if (fail) throw new Error(`${job} cannot be done`)
      this.state.done.push(job)
    },
    async beat() {},
    async report() {
      const attempts = this.ctx.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'attempts'").toArray().length
        ? this.ctx.sql.exec<{ job: string; n: number }>('SELECT job, COUNT(*) AS n FROM attempts GROUP BY job').toArray()
        : []
      return { done: this.state.done, attempts: Object.fromEntries(attempts.map((row) => [row.job, row.n])) }
    },
  },
})
