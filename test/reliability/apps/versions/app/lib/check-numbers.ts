/** Whether every number of a sheet (app/objects/sheet.ts) is its index times `factor`. */
export function checkNumbers(state: Record<string, unknown>, factor: number) {
  const rows = state.rows as Array<{ n: number }>
  const wrongRows = rows.filter((row, i) => row.n !== i * factor).length
  const keys = Object.keys(state).filter((key) => key.startsWith('k'))
  const wrongKeys = keys.filter((key) => state[key] !== Number(key.slice(1)) * factor).length
  return { rows: rows.length, keys: keys.length, wrongRows, wrongKeys }
}
