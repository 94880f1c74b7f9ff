// Colour only for a terminal that wants it: NO_COLOR (https://no-color.org) and pipes get plain text.
const useColor = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb'

const paint = (code: number) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text)

export const bold = paint(1)
export const dim = paint(2)
export const red = paint(31)
export const green = paint(32)
export const yellow = paint(33)
export const cyan = paint(36)

export function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

/** Pads each column of a table of strings to its widest cell. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => stripAnsi(r[col] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell + ' '.repeat(widths[col] - stripAnsi(cell).length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[\d+m/g, '')
}
