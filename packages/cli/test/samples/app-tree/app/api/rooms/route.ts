async function handler() { return new Response('x') }
export { handler as GET, handler as DELETE }
