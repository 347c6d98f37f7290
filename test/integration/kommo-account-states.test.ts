/**
 * Kommo refusing the whole account: 402 (unpaid), 403 on the account itself (access restricted)
 * and 401 (token refused; single-account mode has no refresh). The installation is marked with
 * the reason, the card and the settings page say so, no job calls Kommo or burns its retries
 * meanwhile, and when the access check finds Kommo answering again every waiting deal is created.
 */
import { LeadLinksResponseSchema } from '../../shared/api';
import { SettingsViewSchema } from '../../shared/settings-api';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Kommo account states', () => {
  let stack: Stack;
  let installationId: string;

  beforeAll(async () => {
    stack = await startStack();
    installationId = stack.server.installation?.id ?? '';
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(() => {
    stack.kommo.clearFaults();
  });

  const wonLead = (name: string) => stack.kommo.addLead({ name, price: 100, statusId: stack.kommo.defaults.wonStatusId });
  const installationRow = () => stack.db.db('installations').where({ id: installationId }).first();
  const linkRow = (leadId: number) => stack.db.db('deal_links').where({ lead_id: leadId }).first();
  const widgetGet = async (path: string, isAdmin = false) => {
    const response = await fetch(`${stack.server.url}/api/widget${path}`, { headers: { 'x-auth-token': stack.widgetToken({ is_admin: isAdmin, user_id: 7 }) } });
    expect(response.status).toBe(200);
    return (await response.json()) as unknown;
  };
  const card = async (leadId: number) => LeadLinksResponseSchema.parse(await widgetGet(`/leads/${leadId}`));
  const settingsPage = async () => SettingsViewSchema.parse(await widgetGet('/settings', true));
  /** Jobs that failed, were retried or went to the dead letter queue (none may). */
  const burnedJobs = async () =>
    (await stack.db.db.raw(`select name, state from pgboss.job where state in ('retry', 'failed') or name = 'dead-letter' or (data->>'attempt')::int > 0`)) as {
      rows: unknown[];
    };
  const issueOf = (leadId: number) =>
    waitFor(`the issue of lead ${leadId}`, () => stack.linear.store.attachments().find((a) => a.url.endsWith(`/leads/detail/${leadId}`)));

  it.each([
    [402, 'unpaid', 'kommo_account_unpaid', /unpaid \(HTTP 402\)/],
    [403, 'restricted', 'kommo_access_restricted', /restricts access to the account \(HTTP 403/],
    [401, 'unauthorized', 'kommo_unauthorized', /refused the access token/],
  ] as const)('HTTP %i: the installation waits as %s and every deal is created once Kommo answers again', async (status, problem, code, reason) => {
    const first = wonLead(`Won while ${problem} (first)`);
    const blocked = stack.kommo.blockAccount(status);
    await stack.sendWon(first.id);
    const marked = await waitFor('the installation to be marked', async () => {
      const row = await installationRow();
      return row?.kommo_access_problem === problem ? row : undefined;
    });
    expect(String(marked.kommo_access_message)).toMatch(reason);
    await stack.idle();
    expect(await linkRow(first.id)).toMatchObject({ status: 'retrying', error_code: code });

    // While refused, a new won deal waits without a single call to Kommo.
    const requestsBefore = stack.kommo.requests.length;
    const second = wonLead(`Won while ${problem} (second)`);
    await stack.sendWon(second.id);
    await stack.idle();
    expect(stack.kommo.requests.length).toBe(requestsBefore);
    expect(await linkRow(second.id)).toMatchObject({ status: 'retrying', error_code: code });
    expect((await burnedJobs()).rows).toEqual([]);

    // The card and the settings page say why.
    const shown = await card(first.id);
    expect(shown.kommoAccess).toMatchObject({ problem });
    expect(shown.links[0]).toMatchObject({ status: 'retrying', problem: { code, retryable: true } });
    expect((await settingsPage()).kommo.access).toMatchObject({ problem });

    // A check while Kommo still refuses changes nothing but the time of the check.
    await stack.runJob('kommo-access-check', installationId);
    await stack.idle();
    expect((await installationRow())?.kommo_access_problem).toBe(problem);
    expect(stack.linear.store.attachments().filter((a) => a.url.endsWith(`/leads/detail/${first.id}`))).toHaveLength(0);

    blocked.cancel();
    await stack.runJob('kommo-access-check', installationId);
    await issueOf(first.id);
    await issueOf(second.id);
    await waitFor('both links linked', async () => (await linkRow(first.id))?.status === 'linked' && (await linkRow(second.id))?.status === 'linked');
    await stack.idle();
    expect((await installationRow())?.kommo_access_problem).toBeNull();
    expect((await card(first.id)).kommoAccess).toBeNull();
    expect(stack.kommo.notes(first.id)).toHaveLength(1);
    expect(stack.kommo.notes(second.id)).toHaveLength(1);
    expect((await burnedJobs()).rows).toEqual([]);
  });

  it('a 403 on one call while the account answers fails that deal only', async () => {
    const lead = wonLead('Refused lead only');
    stack.kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), status: 403, times: 1 });
    await stack.sendWon(lead.id);
    await waitFor('the failed link', async () => (await linkRow(lead.id))?.status === 'failed');
    await stack.idle();
    expect(await linkRow(lead.id)).toMatchObject({ error_code: 'kommo_forbidden' });
    expect((await installationRow())?.kommo_access_problem).toBeNull();
    expect((await card(lead.id)).kommoAccess).toBeNull();
  });
});
