// Fails with messages that must never reach a client outside development.
export async function GET(): Promise<Response> {
  throw new Error('RELIABILITY-SECRET-MARKER: connection string postgres://admin:hunter2@db.internal/prod')
}

export async function POST(): Promise<Response> {
  throw { secret: 'RELIABILITY-SECRET-MARKER', toString: () => 'RELIABILITY-SECRET-MARKER' }
}

export async function DELETE(): Promise<Response> {
  // Not a Response: the framework's own error names the file, which must stay in the log too.
  return 'RELIABILITY-SECRET-MARKER' as unknown as Response
}
