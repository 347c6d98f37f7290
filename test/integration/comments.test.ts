/**
 * Comments both ways: a Linear comment on a linked issue → one note in the deal; a deal note that
 * starts with the prefix → one comment on the issue. Edits, replays, duplicates, our own comments
 * and notes coming back, notes without the prefix and a disabled setting change nothing; a bad
 * payload is refused with a message and loses nothing else.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { LeadLinksResponseSchema } from '../../shared/api';
import { SettingsViewSchema } from '../../shared/settings-api';
import { kommoNoteWebhook } from '../fixtures/kommo-webhook';
import { validateWebhookPayloadShape } from '../fakes/linear';
import { LINEAR_RECONCILE } from '../../server/jobs/periodic';
import { startStack, type Stack } from '../helpers/stack';
import { kommoFixture } from '../helpers/webhook-fixtures';
import { waitFor } from '../helpers/wait-for';

describe('comments both ways', () => {
  let stack: Stack;
  let human: { id: string; name: string };
  let boris: { id: string; name: string };
  let manager: number;

  beforeAll(async () => {
    stack = await startStack({ settings: { team: 'ENG', comments: { enabled: true } } });
    const dana = stack.linear.store.addUser({ name: 'Dana Dev', email: 'dana@example.com' });
    const other = stack.linear.store.addUser({ name: 'Boris Builder', email: 'boris@example.com' });
    human = { id: dana.id, name: dana.name };
    boris = { id: other.id, name: other.name };
    manager = stack.kommo.addUser({ name: 'Mario Manager', email: 'mario@example.com' }).id;
    await waitFor('the Linear viewer to be known', async () => (await stack.db.db('installations').first())?.linear_viewer_id);
  }, 90_000);
  afterAll(async () => {
    await stack.close();
  });

  async function linkedDeal(name: string) {
    const lead = stack.kommo.addLead({ name, price: 1, statusId: stack.kommo.defaults.wonStatusId, responsibleUserId: manager });
    await stack.sendWon(lead.id);
    await waitFor('the created note', () => stack.kommo.notes(lead.id)[0]);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    return { leadId: lead.id, issueId: String(link.linear_issue_id) };
  }
  /** Notes the integration wrote from Linear comments (people's notes and the "task created" one aside). */
  const laterNotes = (leadId: number) => stack.kommo.notes(leadId).filter((n) => / (in Linear)[,:]/.test(String(n.params.text)));
  const commentDelivery = (commentId: string, action = 'create') =>
    waitFor('the comment webhook to be answered', () => stack.linear.deliveries.find((d) => d.commentId === commentId && d.action === action && d.status !== null));
  /** The same event, signed anew with a fresh timestamp and delivery id: only the mirror table can tell it was seen. */
  function resend(rawBody: string) {
    const body = JSON.stringify({ ...(JSON.parse(rawBody) as object), webhookTimestamp: Date.now() });
    const signature = createHmac('sha256', stack.linearWebhookSecret).update(body).digest('hex');
    return fetch(`${stack.server.url}/webhooks/linear`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': randomUUID(), 'linear-signature': signature },
      body,
    });
  }
  const postNote = (noteId: number) => stack.postKommo(stack.kommo.noteWebhookBody(noteId));
  const settingsCall = (method: string, body?: unknown) =>
    fetch(`${stack.server.url}/api/widget/settings`, {
      method,
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: true, user_id: 7 }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('a Linear comment makes exactly one note; a replay, a resend and an edit add none; the card shows it', async () => {
    const { leadId, issueId } = await linkedDeal('Comment to note');
    const comment = stack.linear.store.addComment({ issueId, body: '**Scope** confirmed, see [the spec](https://example.com/spec).\n\n- item one' }, human.id);
    const expected = 'Dana Dev in Linear: Scope confirmed, see the spec (https://example.com/spec).\n\n• item one';
    await waitFor('the note', () => laterNotes(leadId).length === 1);
    expect(laterNotes(leadId).map((n) => n.params.text)).toEqual([expected]);

    const delivery = await commentDelivery(comment.id);
    expect(validateWebhookPayloadShape(JSON.parse(delivery.rawBody))).toEqual([]);
    const replay = await fetch(`${stack.server.url}/webhooks/linear`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'linear-delivery': delivery.deliveryId,
        'linear-signature': createHmac('sha256', stack.linearWebhookSecret).update(delivery.rawBody).digest('hex'),
      },
      body: delivery.rawBody,
    });
    expect(replay.status).toBe(200);
    expect((await resend(delivery.rawBody)).status).toBe(200);
    stack.linear.store.editComment(comment.id, 'Scope confirmed (edited).', human.id);
    await commentDelivery(comment.id, 'update');
    await stack.idle();
    expect(laterNotes(leadId).map((n) => n.params.text)).toEqual([expected]);

    const card = await fetch(`${stack.server.url}/api/widget/leads/${leadId}`, { headers: { 'x-auth-token': stack.widgetToken({ user_id: 7 }) } });
    const view = LeadLinksResponseSchema.parse(await card.json());
    expect(view.links[0]?.lastComment).toMatchObject({ author: 'Dana Dev', text: 'Scope confirmed, see the spec (https://example.com/spec).\n\n• item one' });
  });

  it('a reply says whom it answers', async () => {
    const { leadId, issueId } = await linkedDeal('Thread');
    const parent = stack.linear.store.addComment({ issueId, body: 'Can we ship Friday?' }, boris.id);
    await waitFor('the first note', () => laterNotes(leadId).length === 1);
    stack.linear.store.addComment({ issueId, body: 'Yes, `v2` is ready.', parentId: parent.id }, human.id);
    await waitFor('the reply note', () => laterNotes(leadId).length === 2);
    expect(laterNotes(leadId)[1]?.params.text).toBe('Dana Dev in Linear, replying to Boris Builder: Yes, v2 is ready.');
  });

  it('a comment whose webhook never came is caught up by the reconciliation, once, and its late webhook adds nothing', async () => {
    const { leadId, issueId } = await linkedDeal('Missed comment');
    const installationId = String((await stack.db.db('installations').first('id')).id);
    const runs = () => stack.logs.filter((l) => l.includes('reconciled linked issues')).length;
    const reconcileNow = async () => {
      const before = runs();
      await stack.runJob(LINEAR_RECONCILE, installationId);
      await waitFor('the reconciliation', () => (runs() > before ? true : undefined));
    };
    // A first reconciliation has nothing to catch up (and brings in no old comment).
    await reconcileNow();
    stack.linear.pauseWebhooks();
    try {
      const comment = stack.linear.store.addComment({ issueId, body: 'Deployed to staging.' }, human.id);
      await reconcileNow();
      expect(laterNotes(leadId)).toHaveLength(1);
      expect(String(laterNotes(leadId)[0]?.params.text)).toContain('Deployed to staging.');
      await reconcileNow();
      // Linear's late delivery of the same comment (the paused one was dropped): nothing new.
      stack.linear.resumeWebhooks();
      stack.linear.store.emitCommentChange({ action: 'create', comment, actorId: human.id });
      await commentDelivery(comment.id);
      await stack.idle();
      expect(laterNotes(leadId)).toHaveLength(1);
    } finally {
      stack.linear.resumeWebhooks();
    }
  });

  it('a #linear note makes exactly one comment, attributed to its author; duplicates, replays and the comment coming back add nothing', async () => {
    const { leadId, issueId } = await linkedDeal('Note to comment');
    const note = stack.kommo.addUserNote(leadId, '#linear Please call the client on Monday', manager);
    const [first, duplicate] = await Promise.all([postNote(note.id), postNote(note.id)]);
    expect(first?.status).toBe(200);
    expect(duplicate?.status).toBe(200);
    const [comment] = await waitFor('the comment', () => (stack.linear.store.comments(issueId).length > 0 ? stack.linear.store.comments(issueId) : undefined));
    expect(comment?.body).toBe('**Mario Manager in Kommo:** Please call the client on Monday');
    // Our own comment's webhook comes back from Linear: no note.
    await commentDelivery(comment?.id ?? '');
    expect((await postNote(note.id)).status).toBe(200);
    await stack.idle();
    expect(stack.linear.store.comments(issueId)).toHaveLength(1);
    expect(laterNotes(leadId)).toHaveLength(0);
    const answer = (await (await stack.postKommo(stack.kommo.noteWebhookBody(note.id))).json()) as { comments?: number };
    expect(answer.comments).toBe(1);
    await stack.idle();
    expect(stack.linear.store.comments(issueId)).toHaveLength(1);
  });

  it('the real-shaped note fixture becomes a comment once Kommo confirms the note', async () => {
    const { leadId, issueId } = await linkedDeal('Fixture note');
    const note = stack.kommo.addUserNote(leadId, '#linear Client asks for a demo on Friday', manager);
    const form = kommoFixture('note-prefixed.form', {
      account_id: stack.kommo.account.accountId,
      subdomain: stack.kommo.account.subdomain,
      lead_id: leadId,
      user_id: manager,
      now: Math.floor(Date.now() / 1000),
    }).replace('88102', String(note.id));
    expect((await stack.postKommo(form)).status).toBe(200);
    await waitFor('the comment', () => stack.linear.store.comments(issueId).length === 1);
    expect(stack.linear.store.comments(issueId)[0]?.body).toBe('**Mario Manager in Kommo:** Client asks for a demo on Friday');
  });

  it('a note without the prefix, and our own note coming back, make no comment', async () => {
    const { leadId, issueId } = await linkedDeal('Plain note');
    const plain = stack.kommo.addUserNote(leadId, 'Called, will sign on Monday (#linear later)', manager);
    const answer = (await (await postNote(plain.id)).json()) as { comments?: number };
    expect(answer.comments).toBeUndefined();
    stack.linear.store.addComment({ issueId, body: '#linear is our tag' }, human.id);
    const ours = await waitFor('our note', () => laterNotes(leadId).find((n) => String(n.params.text).includes('#linear is our tag')));
    expect((await postNote(ours.id)).status).toBe(200);
    await stack.idle();
    expect(stack.linear.store.comments(issueId).map((c) => c.body)).toEqual(['#linear is our tag']);
  });

  it('a bad payload is refused with a message, and the good events next to it are kept', async () => {
    const { leadId, issueId } = await linkedDeal('Bad payloads');
    const body = JSON.stringify({
      action: 'create',
      type: 'Comment',
      createdAt: new Date().toISOString(),
      data: { id: randomUUID(), issueId, body: 42 },
      webhookTimestamp: Date.now(),
    });
    const signature = createHmac('sha256', stack.linearWebhookSecret).update(body).digest('hex');
    const refused = await fetch(`${stack.server.url}/webhooks/linear`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'linear-delivery': randomUUID(), 'linear-signature': signature },
      body,
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/data\.body/);

    const good = stack.kommo.addUserNote(leadId, '#linear: kept despite its neighbour', manager);
    const mixed = kommoNoteWebhook({
      accountId: stack.kommo.account.accountId,
      subdomain: stack.kommo.account.subdomain,
      notes: [
        { id: good.id, leadId, text: '#linear: kept despite its neighbour', createdBy: manager },
        { id: 0, leadId, text: '#linear broken', createdBy: manager },
      ],
    });
    const answer = await stack.postKommo(mixed);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ comments: 1, skipped: 1 });
    await waitFor('the kept comment', () => stack.linear.store.comments(issueId).length === 1);
    expect(stack.linear.store.comments(issueId)[0]?.body).toBe('**Mario Manager in Kommo:** kept despite its neighbour');
    await stack.idle();
    expect(laterNotes(leadId)).toHaveLength(0);
  });

  it('with comments turned off in the settings, neither direction posts anything', async () => {
    const view = SettingsViewSchema.parse(await (await settingsCall('GET')).json());
    expect(view.settings.comments).toEqual({ enabled: true, prefix: '#linear' });
    const empty = await settingsCall('PUT', { ...view.settings, comments: { enabled: true, prefix: ' ' } });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { field?: string } }).error.field).toBe('comments.prefix');
    expect((await settingsCall('PUT', { ...view.settings, comments: { enabled: false, prefix: '#linear' } })).status).toBe(200);

    const { leadId, issueId } = await linkedDeal('Disabled');
    const comment = stack.linear.store.addComment({ issueId, body: 'Nobody hears this' }, human.id);
    const note = stack.kommo.addUserNote(leadId, '#linear nor this', manager);
    expect((await postNote(note.id)).status).toBe(200);
    await commentDelivery(comment.id);
    await stack.idle();
    expect(laterNotes(leadId)).toHaveLength(0);
    expect(stack.linear.store.comments(issueId)).toHaveLength(1);
  });
});
