/**
 * The baseline for webhook intake: a bare Koa app in its own process (like the server) that
 * answers 200 to POST /bare and nothing else. Prints its URL on stdout.
 */
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.status = 200;
  ctx.body = { ok: true };
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
