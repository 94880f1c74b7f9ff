// Shared by the Worker (app/api/counter) and the page (client/main.ts).
export interface Count {
  value: number
}

export function describeCount(count: Count): string {
  return `count ${count.value}`
}
