export default {
  async fetch(request, env) {
    const id = new URL(request.url).pathname.slice(1)
    return Response.json({ value: await env.BACKEND_COUNTER.getByName(id).increment(1) })
  },
}
