/** POST /api/sign-in?user=ada: a stand-in for the app's own sign-in, which sets a cookie. */
export async function POST(request: Request) {
  const user = new URL(request.url).searchParams.get('user') ?? ''
  if (!/^\w{1,24}$/.test(user)) return new Response('Choose a user name of 1 to 24 letters: ?user=ada', { status: 400 })
  return new Response(null, { status: 204, headers: { 'Set-Cookie': `user=${user}; Path=/; HttpOnly; SameSite=Strict` } })
}
