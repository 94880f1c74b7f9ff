export const GET = () => new Response('version 1')
