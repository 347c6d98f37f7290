import { createHmac } from 'node:crypto';
import { AppError } from '../../../../server/errors';
import { verifyLinearDelivery } from '../../../../server/linear/webhook';

const SECRET = 'whsec-test';
const sign = (raw: Buffer) => createHmac('sha256', SECRET).update(raw).digest('hex');
const raw = (payload: object) => Buffer.from(JSON.stringify(payload));
const issueData = {
  id: 'issue-1',
  identifier: 'ENG-1',
  title: 'Deal',
  url: 'https://linear.app/acme/issue/ENG-1',
  priority: 2,
  updatedAt: '2026-12-01T10:00:00.000Z',
  state: { id: 's', name: 'Done', type: 'completed', color: '#000' },
};

function verify(payload: object, timestampHeader?: string) {
  const body = raw(payload);
  return verifyLinearDelivery(body, sign(body), timestampHeader, SECRET);
}

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('verifyLinearDelivery', () => {
  it('reads a complete Issue payload', () => {
    expect(verify({ type: 'Issue', action: 'update', webhookTimestamp: Date.now(), actor: { id: 'u1' }, data: issueData })).toEqual({
      kind: 'issue',
      action: 'update',
      actorId: 'u1',
      issueId: 'issue-1',
      issue: expect.objectContaining({ identifier: 'ENG-1' }),
    });
  });

  it('needs only type, action and data.id: a payload missing fields leaves the issue to be read from Linear', () => {
    const delivery = verify({ type: 'Issue', action: 'update', webhookTimestamp: Date.now(), actor: 'not-an-object', data: { id: 'issue-1', priorityLabel: 'High' } });
    expect(delivery).toEqual({ kind: 'issue', action: 'update', actorId: undefined, issueId: 'issue-1', issue: undefined });
  });

  it('takes the top-level url when data has none', () => {
    const { url, ...withoutUrl } = issueData;
    const delivery = verify({ type: 'Issue', action: 'create', webhookTimestamp: Date.now(), url, data: withoutUrl });
    expect(delivery.kind === 'issue' && delivery.issue?.url).toBe(url);
  });

  it('accepts the Linear-Timestamp header when the body has no webhookTimestamp, and refuses a stale one', () => {
    expect(verify({ type: 'Issue', action: 'remove', data: issueData }, String(Date.now())).kind).toBe('issue');
    expect(failure(() => verify({ type: 'Issue', action: 'remove', data: issueData }, String(Date.now() - 10 * 60_000))).code).toBe('bad_request');
  });

  it('prefers the signed body timestamp over the header', () => {
    const error = failure(() => verify({ type: 'Issue', action: 'update', webhookTimestamp: Date.now() - 10 * 60_000, data: issueData }, String(Date.now())));
    expect(error.message).toMatch(/away from now \(limit 60 s\)/);
  });

  it.each([[undefined], ['0'], ['soon']])('refuses a delivery without a usable timestamp (header %p)', (header) => {
    const error = failure(() => verify({ type: 'Issue', action: 'update', webhookTimestamp: 0, data: issueData }, header));
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/no webhookTimestamp/);
  });

  it('answers "other" for unknown types and actions', () => {
    expect(verify({ type: 'Comment', action: 'create', webhookTimestamp: Date.now(), data: {} })).toEqual({ kind: 'other', type: 'Comment', action: 'create' });
    expect(verify({ type: 'Issue', action: 'restore', webhookTimestamp: Date.now(), data: issueData })).toEqual({ kind: 'other', type: 'Issue', action: 'restore' });
    expect(verify({ type: 'OAuthApp', action: 'revoked', webhookTimestamp: Date.now(), oauthClientId: 'c1' })).toEqual({ kind: 'other', type: 'OAuthApp', action: 'revoked' });
  });

  it('refuses an Issue event without data.id, and a wrong signature before reading anything', () => {
    expect(failure(() => verify({ type: 'Issue', action: 'update', webhookTimestamp: Date.now(), data: { identifier: 'ENG-1' } })).field).toBe('data.id');
    const body = raw({ type: 'Issue' });
    expect(failure(() => verifyLinearDelivery(body, 'ff'.repeat(32), undefined, SECRET)).code).toBe('unauthorized');
    expect(failure(() => verifyLinearDelivery(Buffer.from('not json'), 'ff'.repeat(32), undefined, SECRET)).code).toBe('unauthorized');
  });
});
