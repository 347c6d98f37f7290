import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  AuthenticationLinearError,
  InvalidInputLinearError,
  LinearClient,
  RatelimitedLinearError,
} from '@linear/sdk';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { validateOperation } from '../helpers/linear-schema';
import { DEFAULT_API_KEY, startFakeLinear, validateWebhookPayloadShape, type FakeLinear } from './linear';

const CREATE_ISSUE = `mutation CreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier url title state { name type } team { key } } }
}`;
const ISSUE = `query Issue($id: String!) {
  issue(id: $id) { id identifier title previousIdentifiers state { name type } assignee { name email } }
}`;
const CREATE_ATTACHMENT = `mutation CreateAttachment($input: AttachmentCreateInput!) {
  attachmentCreate(input: $input) { success attachment { id url title subtitle metadata issue { identifier } } }
}`;
const ATTACHMENTS_FOR_URL = `query AttachmentsForUrl($url: String!) {
  attachmentsForURL(url: $url) { nodes { id title issue { id identifier state { type } } } }
}`;

interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/webhooks/linear`, received };
}

function postGraphql(fake: FakeLinear, body: string, init: RequestInit = {}): Promise<Response> {
  return fetch(fake.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: DEFAULT_API_KEY },
    body,
    ...init,
  });
}

describe('fake Linear', () => {
  let fake: FakeLinear;
  let linear: LinearClient;

  beforeAll(async () => {
    fake = await startFakeLinear({ orgUrlKey: 'acme' });
    linear = new LinearClient({ apiKey: DEFAULT_API_KEY, apiUrl: fake.url });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  const createIssue = (input: Record<string, unknown>) =>
    linear.client.rawRequest<{ issueCreate: { issue: { id: string; identifier: string; url: string } } }, Record<string, unknown>>(
      CREATE_ISSUE,
      { input: { teamId: 'ENG', title: 'Deal #1234: ACME GmbH', ...input } },
    );

  it('answers 401 with AUTHENTICATION_ERROR for an unknown key', async () => {
    const response = await postGraphql(fake, JSON.stringify({ query: '{ viewer { id } }' }), {
      headers: { 'content-type': 'application/json', authorization: 'lin_api_wrong' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'Authentication required, not authenticated',
          extensions: { code: 'AUTHENTICATION_ERROR', type: 'authentication error', userError: true },
        },
      ],
    });
    const wrong = new LinearClient({ apiKey: 'lin_api_wrong', apiUrl: fake.url });
    await expect(wrong.client.rawRequest('{ viewer { id } }')).rejects.toBeInstanceOf(AuthenticationLinearError);
  });

  it('rejects operations that do not validate against the schema, and malformed bodies', async () => {
    const invalid = await postGraphql(fake, JSON.stringify({ query: '{ issue(id: "ENG-1") { notAField } }' }));
    expect(invalid.status).toBe(400);
    const body: unknown = await invalid.json();
    expect(body).toMatchObject({
      errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', type: 'graphql error', userError: false } }],
    });
    expect((await postGraphql(fake, '{not json')).status).toBe(400);
    expect(validateOperation(CREATE_ISSUE)).toEqual([]);
    expect(validateOperation('{ issue(id: "x") { notAField } }')).not.toEqual([]);
  });

  it('serves the seeded workspace: viewer, team with default states', async () => {
    const { data } = await linear.client.rawRequest<
      { viewer: { email: string }; teams: { nodes: { key: string; states: { nodes: { name: string; type: string }[] } }[] } },
      Record<string, unknown>
    >(`query { viewer { email } teams(filter: { key: { eq: "ENG" } }) { nodes { key states { nodes { name type } } } } }`);
    expect(data?.viewer.email).toBe('bot@example.com');
    expect(data?.teams.nodes[0]?.states.nodes.map((s) => `${s.name}/${s.type}`)).toEqual([
      'Backlog/backlog', 'Todo/unstarted', 'In Progress/started', 'Done/completed', 'Canceled/canceled', 'Duplicate/canceled',
    ]);
  });

  it('creates an issue with a client id; the same id again raises InvalidInputLinearError', async () => {
    const id = randomUUID();
    const { data } = await createIssue({ id, priority: 2, dueDate: '2026-11-30' });
    expect(data?.issueCreate.issue).toMatchObject({ id, identifier: 'ENG-1', url: 'https://linear.app/acme/issue/ENG-1/deal-1234-acme-gmbh' });

    const duplicate = createIssue({ id });
    await expect(duplicate).rejects.toBeInstanceOf(InvalidInputLinearError);
    await expect(duplicate).rejects.toThrow(/already exists/);
    expect(fake.store.issues()).toHaveLength(1);
    expect(fake.requests.at(-1)).toMatchObject({ operationName: 'CreateIssue', rootFields: ['issueCreate'], status: 400 });
  });

  it('reads an issue by identifier, and by its previous identifier after a team move', async () => {
    const { data } = await createIssue({});
    const id = data?.issueCreate.issue.id ?? '';
    fake.store.addTeam({ key: 'OPS', name: 'Operations' });
    fake.store.updateIssue(id, { teamId: 'OPS' });

    const byOld = await linear.client.rawRequest<{ issue: { identifier: string; previousIdentifiers: string[] } }, { id: string }>(ISSUE, { id: 'ENG-1' });
    expect(byOld.data?.issue).toMatchObject({ identifier: 'OPS-1', previousIdentifiers: ['ENG-1'] });

    const missing = await postGraphql(fake, JSON.stringify({ query: ISSUE, variables: { id: 'ENG-999' } }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      data: { issue: null },
      errors: [{ message: 'Entity not found: Issue', extensions: { code: 'INPUT_ERROR', userPresentableMessage: 'Could not find referenced Issue.' } }],
    });
  });

  it('upserts an attachment per issue and url, and finds it by url', async () => {
    const { data } = await createIssue({});
    const url = 'https://acme.kommo.com/leads/detail/1234';
    for (const subtitle of ['Won · 12 500 €', 'Won · 13 000 €']) {
      await linear.client.rawRequest(CREATE_ATTACHMENT, { input: { issueId: 'ENG-1', url, title: 'Kommo deal #1234', subtitle, metadata: { dealId: 1234 } } });
    }
    expect(fake.store.attachments()).toEqual([expect.objectContaining({ url, subtitle: 'Won · 13 000 €', issueId: data?.issueCreate.issue.id })]);

    const found = await linear.client.rawRequest<{ attachmentsForURL: { nodes: { issue: { identifier: string } }[] } }, { url: string }>(ATTACHMENTS_FOR_URL, { url });
    expect(found.data?.attachmentsForURL.nodes.map((n) => n.issue.identifier)).toEqual(['ENG-1']);
  });

  it('injects a rate limit that surfaces as RatelimitedLinearError and creates nothing', async () => {
    fake.inject({ operation: 'issueCreate', kind: 'ratelimited' });
    const error: unknown = await createIssue({}).catch((e: unknown) => e);
    if (!(error instanceof RatelimitedLinearError)) throw new Error(`expected RatelimitedLinearError, got ${String(error)}`);
    expect(error.requestsRemaining).toBe(0);
    expect(error.requestsResetAt).toBeGreaterThan(Date.now() - 1000);
    expect(fake.store.issues()).toHaveLength(0);
    await createIssue({});
    expect(fake.store.issues()).toHaveLength(1);
  });

  it('applies the mutation before an injected http500-after-commit', async () => {
    fake.inject({ operation: 'issueCreate', kind: 'http500-after-commit' });
    await expect(createIssue({ id: randomUUID() })).rejects.toThrow();
    expect(fake.store.issues()).toHaveLength(1);
  });

  it('never answers an injected timeout, so the client timeout fires', async () => {
    fake.inject({ kind: 'timeout' });
    const query = JSON.stringify({ query: '{ viewer { id } }' });
    await expect(postGraphql(fake, query, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/abort|timeout/i);
    expect((await postGraphql(fake, query)).status).toBe(200);
  });

  it('sends a signed Issue webhook on update with updatedFrom and a schema-valid shape', async () => {
    const receiver = await startReceiver();
    try {
      const secret = 'whsec_test';
      fake.webhookTarget({ url: receiver.url, secret });
      const { data } = await createIssue({});
      const done = fake.store.teamStates(fake.store.findTeam('ENG')?.id ?? '').find((s) => s.type === 'completed');
      fake.store.updateIssue(data?.issueCreate.issue.id ?? '', { stateId: done?.id ?? '' });
      await fake.webhooksIdle();

      expect(receiver.received).toHaveLength(2);
      const update = receiver.received[1];
      const signature = String(update?.headers['linear-signature']);
      const payload: unknown = new LinearWebhookClient(secret).parseData(Buffer.from(update?.rawBody ?? ''), signature);
      expect(update?.headers).toMatchObject({ 'linear-event': 'Issue', 'user-agent': 'Linear-Webhook' });
      expect(payload).toMatchObject({
        action: 'update',
        type: 'Issue',
        data: { identifier: 'ENG-1', state: { type: 'completed' } },
        updatedFrom: { stateId: expect.any(String), completedAt: null },
      });
      expect(validateWebhookPayloadShape(payload)).toEqual([]);
      expect(fake.deliveries.map((d) => d.status)).toEqual([200, 200]);
    } finally {
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });
});
