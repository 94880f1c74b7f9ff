export async function GET() { return new Response('ok') }
export const POST = async () => new Response('ok')
