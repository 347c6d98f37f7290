/**
 * The page at `/`: what the server is and each missing piece of its setup, as HTML or JSON,
 * never showing an account, a token or a secret to the anonymous visitor.
 */
import { DEFAULT_API_KEY } from '../fakes/linear';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

interface Status {
  name: string;
  version: string;
  database: string;
  singleAccount: boolean;
  marketplace: boolean;
  publicUrl: string;
  steps: Array<{ id: string; text: string; variables: string[]; urls: string[] }>;
}

const get = async (stack: Stack, accept: string) => {
  const response = await fetch(`${stack.server.url}/`, { headers: { accept } });
  return { response, text: await response.text() };
};
const json = async (stack: Stack) => JSON.parse((await get(stack, 'application/json')).text) as Status;
const ids = (status: Status) => status.steps.map((s) => s.id);
const step = (status: Status, id: string) => status.steps.find((s) => s.id === id);

/** Everything secret or account-identifying the stack was started with. */
function secretsOf(stack: Stack): string[] {
  const values = [stack.secret, stack.client.secret, stack.client.id, stack.linearWebhookSecret, DEFAULT_API_KEY, stack.kommo.accessToken];
  values.push(stack.kommo.account.subdomain, new URL(stack.kommo.baseUrl).host, String(stack.kommo.account.accountId));
  if (stack.config.encryptionKey) values.push(stack.config.encryptionKey);
  return values;
}

// A stack each: under a loaded machine a start takes well over jest's default 30 s.
const START_MS = 120_000;

/** A server started with `env` for the tests of the block, stopped after them. */
function stackWith(env: Record<string, string>, ready?: (stack: Stack) => Promise<unknown>): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack({ env });
    if (ready) await ready(stack);
  }, START_MS);
  afterAll(() => stack?.close(), START_MS);
  return () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };
}

describe('the page at / in single-account mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // The stored installation then holds the account's id and subdomain too.
    await waitFor('the account to be learned', async () => (await stack.db.db('installations').first())?.kommo_subdomain);
  }, START_MS);
  afterAll(() => stack.close(), START_MS);

  it('answers a browser with a small escaped HTML page and no secret', async () => {
    const { response, text } = await get(stack, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(text.length).toBeLessThan(8000);
    expect(text).toContain('<h1>Linear for Kommo</h1>');
    expect(text).toContain(`<dd>${stack.server.database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}`);
    expect(text).toContain('single account (private integration)');
    // The webhook URL shows the variable's name, escaped, never its value.
    expect(text).toContain('/webhooks/kommo/&#60;KOMMO_WEBHOOK_SECRET&#62;');
    expect(text).not.toMatch(/<script/i);
    for (const secret of secretsOf(stack)) expect(text).not.toContain(secret);
  });

  it('answers JSON clients with the same facts, and reads the stored state at every request', async () => {
    const status = await json(stack);
    expect(status).toMatchObject({ name: 'linear-for-kommo', version: expect.stringMatching(/^\d+\.\d+\.\d+/), singleAccount: true, marketplace: true });
    expect(status.database).toBe(stack.server.database.kind);
    // PUBLIC_URL is unset (http://localhost:PORT); the Kommo webhook is not registered (REGISTER_WEBHOOKS is off
    // for http); LINEAR_WEBHOOK_SECRET and the client id and secret are set.
    expect(ids(status)).toEqual(['public-url', 'kommo-webhook']);
    expect(step(status, 'public-url')?.variables).toEqual(['PUBLIC_URL']);
    expect(step(status, 'kommo-webhook')).toMatchObject({ urls: [`${stack.config.publicUrl}/webhooks/kommo/<KOMMO_WEBHOOK_SECRET>`] });
    expect(step(status, 'kommo-webhook')?.text).toMatch(/status_lead.*add_lead/);
    for (const secret of secretsOf(stack)) expect(JSON.stringify(status)).not.toContain(secret);

    const installation = stack.server.installation;
    if (!installation) throw new Error('no single-account installation');
    await stack.db.db('installations').where({ id: installation.id }).update({ kommo_webhook_status: 'registered' });
    expect(ids(await json(stack))).toEqual(['public-url']);
  });

  it('lists the same steps that the HTML page shows', async () => {
    const status = await json(stack);
    const { text } = await get(stack, 'text/html');
    for (const s of status.steps) expect(text).toContain(`<li id="${s.id}">`);
    expect(text.match(/<li id=/g)).toHaveLength(status.steps.length);
  });
});

describe('the page at / with an https PUBLIC_URL, no widget keys and no webhooks', () => {
  const publicUrl = 'https://linear.example.com/"><script>alert(1)</script>';
  const current = stackWith({ PUBLIC_URL: publicUrl, REGISTER_WEBHOOKS: 'false', KOMMO_CLIENT_ID: '', KOMMO_CLIENT_SECRET: '', LINEAR_WEBHOOK_SECRET: '' }, (stack) =>
    waitFor('the account to be learned', async () => (await stack.db.db('installations').first())?.kommo_subdomain),
  );

  it('names the widget keys and both webhooks, and escapes the address', async () => {
    const stack = current();
    const status = await json(stack);
    expect(status).toMatchObject({ singleAccount: true, marketplace: false });
    expect(ids(status)).toEqual(['widget-keys', 'kommo-webhook', 'linear-webhook']);
    expect(step(status, 'widget-keys')?.variables).toEqual(['KOMMO_CLIENT_ID', 'KOMMO_CLIENT_SECRET']);
    expect(step(status, 'widget-keys')?.text).toMatch(/deal card/);
    expect(step(status, 'linear-webhook')).toMatchObject({ variables: ['LINEAR_WEBHOOK_SECRET'], urls: [`${stack.config.publicUrl}/webhooks/linear`] });
    const { text } = await get(stack, 'text/html');
    expect(text).not.toMatch(/<script/i);
    expect(text).toContain('&#34;&#62;&#60;script&#62;');
    expect(text).toContain('<code>KOMMO_CLIENT_ID</code>');
    for (const secret of secretsOf(stack)) expect(text + JSON.stringify(status)).not.toContain(secret);
  });
});

describe('the page at / without any account', () => {
  const current = stackWith({ KOMMO_BASE_URL: '', KOMMO_ACCESS_TOKEN: '', KOMMO_WEBHOOK_SECRET: '', LINEAR_API_KEY: '', KOMMO_CLIENT_ID: '', KOMMO_CLIENT_SECRET: '' });

  it('says how to connect one, and names the widget keys', async () => {
    const status = await json(current());
    expect(status).toMatchObject({ singleAccount: false, marketplace: false });
    expect(ids(status)).toEqual(['public-url', 'connect-account', 'widget-keys']);
    expect(step(status, 'connect-account')?.variables).toEqual(expect.arrayContaining(['KOMMO_BASE_URL', 'KOMMO_ACCESS_TOKEN', 'KOMMO_WEBHOOK_SECRET', 'LINEAR_API_KEY']));
    expect((await get(current(), 'text/html')).text).toContain('none configured');
  });
});

describe('the page at / in marketplace mode', () => {
  const current = stackWith({ KOMMO_BASE_URL: '', KOMMO_ACCESS_TOKEN: '', KOMMO_WEBHOOK_SECRET: '', LINEAR_API_KEY: '' });

  it('gives the redirect and revoke URLs until an account installs', async () => {
    const stack = current();
    const status = await json(stack);
    expect(status).toMatchObject({ singleAccount: false, marketplace: true });
    const expected = stack.server.database.kind === 'pglite' ? ['public-url', 'database', 'first-install'] : ['public-url', 'first-install'];
    expect(ids(status)).toEqual(expected);
    expect(step(status, 'first-install')?.urls).toEqual([`${stack.config.publicUrl}/oauth/kommo/callback`, `${stack.config.publicUrl}/oauth/kommo/revoke`, `${stack.config.publicUrl}/widget.zip`]);
    for (const secret of secretsOf(stack)) expect(JSON.stringify(status)).not.toContain(secret);
  });
});
