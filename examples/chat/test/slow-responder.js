// The slow responder the chat test talks to: a local HTTP service that answers a question after a
// delay, as a model would. Plain JavaScript for Node (the app's tsconfig is typed for Workers);
// its types are in slow-responder.d.ts.
import { createServer } from 'node:http'

export async function startSlowResponder(delayMs) {
  const questions = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      questions.push(body)
      setTimeout(() => response.end(`You asked: ${body}`), delayMs)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    questions,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}
