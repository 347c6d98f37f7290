/**
 * The Digital Pipeline action of a marketplace build: every account's events arrive at the one
 * `/webhooks/kommo-dp`; the server finds the account's OAuth installation and requires the
 * installation's token, which the widget read from `GET /api/widget/dp-token` and wrote into the
 * action's settings. Two accounts are installed through Kommo OAuth. Runs on PostgreSQL when
 * TEST_DATABASE_URL is set, else on PGlite.
 */
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { issuesOf, seedDeal } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { kommoDpFixture } from '../helpers/webhook-fixtures';

const ALPHA = 31000011;
const BETA = 31000012;

describe('Digital Pipeline action of a marketplace build', () => {
  let stack: Stack;
  let alpha: FakeKommo;
  let beta: FakeKommo;

  const admin = (kommo: FakeKommo, over: { is_admin?: boolean } = {}) =>
    stack.widgetToken({ account_id: kommo.account.accountId, iss: kommo.baseUrl, subdomain: kommo.account.subdomain, is_admin: true, ...over });
  const tokenOf = (widgetToken: string) => fetch(`${stack.server.url}/api/widget/dp-token`, { headers: { 'x-auth-token': widgetToken } });
  const post = (body: string) => fetch(`${stack.server.url}/webhooks/kommo-dp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  async function install(kommo: FakeKommo): Promise<void> {
    kommo.oauth.configure({ clientId: stack.client.id, clientSecret: stack.client.secret, redirectUri: `${stack.config.publicUrl}/oauth/kommo/callback` });
    const query = new URLSearchParams({ code: kommo.oauth.issueCode(), referer: new URL(kommo.baseUrl).host, from_widget: '1' });
    expect((await fetch(`${stack.server.url}/oauth/kommo/callback?${query}`)).status).toBe(200);
    await waitFor('the installation', () => stack.db.db('installations').where({ kommo_account_id: kommo.account.accountId, status: 'active' }).first());
    const key = await fetch(`${stack.server.url}/api/widget/settings/linear-key`, {
      method: 'POST',
      headers: { 'x-auth-token': admin(kommo), 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: 'lin_api_test_key' }),
    });
    expect(key.status).toBe(200);
  }

  beforeAll(async () => {
    stack = await startStack({ env: { KOMMO_OAUTH_HOSTS: '*.kommo.com,127.0.0.1:*' } });
    [alpha, beta] = await Promise.all([startFakeKommo({ accountId: ALPHA, subdomain: 'alpha' }), startFakeKommo({ accountId: BETA, subdomain: 'beta' })]);
    await install(alpha);
    await install(beta);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([alpha.close(), beta.close()]);
    await stack.close();
  });

  const event = (kommo: FakeKommo, leadId: number, token: string, extra: Record<string, string | number> = {}) =>
    kommoDpFixture('marketplace-lead-status-changed.json', {
      lead_id: leadId,
      pipeline_id: kommo.defaults.pipelineId,
      status_id: kommo.defaults.openStatusIds[1] ?? 0,
      account_id: kommo.account.accountId,
      subdomain: kommo.account.subdomain,
      team: 'ENG',
      now: Math.floor(Date.now() / 1000),
      token,
      ...extra,
    });

  async function dpToken(kommo: FakeKommo): Promise<string> {
    const answer = await tokenOf(admin(kommo));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    return ((await answer.json()) as { token: string }).token;
  }

  it('gives each account its own token, to admins only; a self-hosted installation needs none', async () => {
    const [a, b] = [await dpToken(alpha), await dpToken(beta)];
    expect(a).toMatch(/^[\w-]{40,}$/);
    expect(b).not.toBe(a);
    expect(await dpToken(alpha)).toBe(a);
    expect((await tokenOf(admin(alpha, { is_admin: false }))).status).toBe(403);
    expect((await tokenOf('not-a-token')).status).toBe(401);
    const single = await tokenOf(stack.widgetToken({ is_admin: true }));
    expect(single.status).toBe(409);
    expect(JSON.stringify(await single.json())).toContain('self-hosted');
  });

  it("queues one issue for an event carrying the account's token; a replay, by id or by subdomain, adds nothing", async () => {
    const token = await dpToken(alpha);
    const lead = seedDeal({ kommo: alpha }, { statusId: alpha.defaults.openStatusIds[1] ?? 0 });
    const answer = await post(event(alpha, lead.id, token));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, queued: 1 });
    await waitFor('the issue', () => issuesOf(stack, lead.id).length === 1);
    expect(issuesOf(stack, lead.id)[0]?.priority).toBe(2);
    await waitFor('the note', () => alpha.notes(lead.id)[0]);

    const bySubdomain = JSON.parse(event(alpha, lead.id, token)) as Record<string, unknown>;
    delete bySubdomain.account_id;
    const answers = await Promise.all([post(event(alpha, lead.id, token)), post(JSON.stringify(bySubdomain))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await stack.idle();
    expect(issuesOf(stack, lead.id)).toHaveLength(1);
    expect(alpha.notes(lead.id)).toHaveLength(1);
    const installation = await stack.db.db('installations').where({ kommo_account_id: ALPHA }).first();
    const links = await stack.db.db('deal_links').where({ installation_id: installation.id, lead_id: lead.id });
    expect(links.map((l: { link_key: string }) => l.link_key)).toEqual([`dp:${alpha.defaults.pipelineId}:${alpha.defaults.openStatusIds[1]}`]);
  });

  it("refuses a missing or wrong token and another account's token with 401, an account without installation alike", async () => {
    const lead = seedDeal({ kommo: alpha }, { statusId: alpha.defaults.openStatusIds[1] ?? 0 });
    const refused = async (body: string, status: number, message: string) => {
      const answer = await post(body);
      expect(answer.status).toBe(status);
      const text = JSON.stringify(await answer.json());
      expect(text).toContain(message);
      return text;
    };
    await refused(event(alpha, lead.id, ''), 401, 'carries no token');
    await refused(event(alpha, lead.id, 'x'.repeat(43)), 401, "is not this account's");
    const betaToken = await dpToken(beta);
    const leaked = await refused(event(alpha, lead.id, betaToken), 401, "is not this account's");
    expect(leaked).not.toContain(betaToken);
    await refused(event(alpha, lead.id, betaToken, { account_id: 1, subdomain: 'nobody' }), 401, "token is not this account's");
    await stack.idle();
    expect(issuesOf(stack, lead.id)).toHaveLength(0);
    expect(stack.logs.join('\n')).not.toContain(betaToken);
  });
});
