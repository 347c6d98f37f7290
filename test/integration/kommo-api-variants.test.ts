/**
 * The Won flow reads every documented shape of Kommo's answers (test/fixtures/kommo/api): the
 * fake Kommo serves each body in place of its own, and the issue must say what the deal says.
 * An answer that cannot be read fails the link with the path that failed.
 */
import type { Json } from '../fakes/kommo';
import { kommoApiFixture, type KommoApiFixture } from '../fixtures/kommo/api/load';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

type Body = { [key: string]: Json };

describe('Kommo API response variants through the Won flow', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(() => {
    stack.kommo.clearFaults();
  });

  /** The fixture with its ids made those of the fake account: the lead, its pipeline, manager, fields and contacts. */
  function aligned(name: KommoApiFixture, leadId: number, contactIds: number[] = []): Body {
    const { defaults } = stack.kommo;
    const body = kommoApiFixture(name);
    const fieldIds: Record<string, number> = { Spec: defaults.specFieldId, Deadline: defaults.deadlineFieldId };
    const values = Array.isArray(body.custom_fields_values) ? body.custom_fields_values : [];
    const known = values.filter((v): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.field_name === 'string' && v.field_name in fieldIds);
    const embedded = body._embedded;
    if (embedded && typeof embedded === 'object' && !Array.isArray(embedded) && Array.isArray(embedded.contacts)) {
      embedded.contacts = embedded.contacts.map((c, i) => (typeof c === 'object' && c !== null && !Array.isArray(c) ? { ...c, id: contactIds[i] ?? 0 } : c));
    }
    return {
      ...body,
      id: leadId,
      pipeline_id: defaults.pipelineId,
      responsible_user_id: defaults.userId,
      ...(Array.isArray(body.custom_fields_values) ? { custom_fields_values: known.map((v) => ({ ...v, field_id: fieldIds[String(v.field_name)] ?? 0 })) } : {}),
    };
  }

  /** A won lead in the fake (so write-backs land) whose reads answer with the fixture. */
  function serveLead(name: KommoApiFixture, contacts: Array<{ fixture: KommoApiFixture }> = []) {
    const { kommo } = stack;
    const lead = kommo.addLead({ name: `variant ${name}`, statusId: kommo.defaults.wonStatusId });
    const contactIds = contacts.map(({ fixture }) => {
      const contact = kommo.addContact({ name: 'placeholder' });
      kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/contacts/${contact.id}$`), kind: 'body', json: { ...kommoApiFixture(fixture), id: contact.id }, times: Infinity });
      return contact.id;
    });
    kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), kind: 'body', json: aligned(name, lead.id, contactIds), times: Infinity });
    return lead;
  }

  async function issueOf(leadId: number) {
    const attachment = await waitFor(`the issue of lead ${leadId}`, () => stack.linear.store.attachments().find((a) => a.url.endsWith(`/leads/detail/${leadId}`)));
    const issue = stack.linear.store.issue(attachment.issueId);
    if (!issue) throw new Error('attachment without issue');
    await waitFor('the link to be linked', async () => (await stack.db.db('deal_links').where({ lead_id: leadId, status: 'linked' })).length === 1);
    return issue;
  }

  // First, while the "Linear issue" field does not exist yet: the flow creates it.
  it('creates the issue field when Kommo answers the creation with a bare field object', async () => {
    stack.kommo.inject({
      method: 'POST',
      path: /^\/api\/v4\/leads\/custom_fields$/,
      kind: 'reshape',
      reshape: (body) => {
        const embedded = typeof body === 'object' && body !== null && !Array.isArray(body) ? body._embedded : undefined;
        const fields = typeof embedded === 'object' && embedded !== null && !Array.isArray(embedded) ? embedded.custom_fields : undefined;
        return Array.isArray(fields) && fields[0] !== undefined ? fields[0] : body;
      },
    });
    const lead = serveLead('lead-no-embedded');
    await stack.sendWon(lead.id);
    const issue = await issueOf(lead.id);
    await waitFor('the issue field', () => stack.kommo.fieldValue(lead.id, 'Linear issue') === issue.identifier);
    const created = stack.kommo.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/leads/custom_fields');
    expect(created.map((r) => r.status)).toEqual([200]);
  });

  it('reads a lead without _embedded, price or custom fields', async () => {
    const lead = serveLead('lead-no-embedded');
    await stack.sendWon(lead.id);
    const issue = await issueOf(lead.id);
    expect(issue.title).toBe('Website redesign');
    expect(issue.description).toContain('**Amount:** $0.00');
    expect(issue.description).toContain('**Contact:** none');
    expect(issue.description).toContain('**Manager:** Alice Manager');
    expect(issue.description).toContain('_No spec: the deal\'s "Spec" field is empty._');
    expect(issue.dueDate ?? null).toBeNull();
  });

  it('reads PHP empty arrays for _embedded and custom fields', async () => {
    const lead = serveLead('lead-php-empty');
    await stack.sendWon(lead.id);
    const issue = await issueOf(lead.id);
    expect(issue.title).toBe('Support retainer');
    expect(issue.description).toContain('**Amount:** $2,500.00');
    expect(issue.description).toContain('**Contact:** none');
  });

  it('reads an enum spec, a digit-string date and the main contact among two with several emails', async () => {
    const lead = serveLead('lead-field-variants', [{ fixture: 'contact-no-emails' }, { fixture: 'contact-several-emails' }]);
    await stack.sendWon(lead.id);
    const issue = await issueOf(lead.id);
    expect(issue.title).toBe('Premium onboarding');
    expect(issue.description).toContain('Premium plan: SSO and audit log');
    expect(issue.description).toContain('**Contact:** Ana Souza · ana@buyer.example');
    expect(issue.dueDate).toBe('2026-01-01');
  });

  it('reads a numeric spec, an ISO date-time and a contact with no name or email', async () => {
    const lead = serveLead('lead-iso-deadline', [{ fixture: 'contact-no-emails' }]);
    await stack.sendWon(lead.id);
    const issue = await issueOf(lead.id);
    expect(issue.description ?? '').toMatch(/^42\n/);
    expect(issue.description).toContain('**Contact:** (no name)\n');
    expect(issue.dueDate).toBe('2026-03-01');
  });

  it('fails the link, naming the path, when the lead cannot be read', async () => {
    const lead = serveLead('lead-unreadable');
    await stack.sendWon(lead.id);
    const row = await waitFor('the failed link', async () => {
      const r = await stack.db.db('deal_links').where({ lead_id: lead.id }).first();
      return r?.status === 'failed' ? r : undefined;
    });
    expect(row.error_code).toBe('kommo_rejected');
    expect(row.error_message).toMatch(/GET \/api\/v4\/leads\/\d+ has an unexpected shape at status_id: /);
    expect(stack.linear.store.issues().filter((i) => i.title === 'Status sent as text')).toHaveLength(0);
  });
});
