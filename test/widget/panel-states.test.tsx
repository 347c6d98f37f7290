/** @jest-environment jsdom */
/**
 * Every state the Linear block can be in, rendered from scripted backend answers.
 */
import { fireEvent, screen, within } from '@testing-library/preact';
import { backendError, FakeBackend } from './support/fake-backend';
import { issue, lead, link } from './support/fixtures';
import { renderPanel } from './support/render-panel';

describe('Panel states', () => {
  it('says which rule or Digital Pipeline action created each issue, and nothing for one made from the card', async () => {
    const links = [
      link({ linkId: 'a', trigger: { source: 'stage', rule: 'Onboarding', stage: 'Contract signed' } }),
      link({ linkId: 'b', issue: issue({ issueId: 'issue-2', identifier: 'ENG-43' }), trigger: { source: 'dp', rule: null, stage: 'Won' } }),
      link({ linkId: 'c', issue: issue({ issueId: 'issue-3', identifier: 'ENG-44' }) }),
    ];
    renderPanel(new FakeBackend(lead({ links })));
    expect(await screen.findByText('Created by the rule “Onboarding” at Contract signed')).toBeTruthy();
    expect(screen.getByText('Created by the Digital Pipeline at Won')).toBeTruthy();
    expect(document.querySelectorAll('.lfk-trigger')).toHaveLength(2);
  });

  it('shows loading until the lead answers', () => {
    renderPanel(new FakeBackend('hang'));
    expect(screen.getByRole('status')).toHaveProperty('textContent', 'Loading Linear issues…');
  });

  it('asks to save a new deal and calls nothing', () => {
    const backend = new FakeBackend(lead());
    renderPanel(backend, { leadId: 0 });
    expect(screen.getByText(/Save the deal first/)).toBeTruthy();
    expect(backend.calls).toEqual([]);
  });

  it('gives admins a settings link when Linear is not configured', async () => {
    renderPanel(new FakeBackend(lead({ configured: false, isAdmin: true })));
    expect(await screen.findByText(/Linear is not connected/)).toBeTruthy();
    const settings = screen.getByRole('link', { name: 'Open the Linear settings' });
    expect(settings.getAttribute('href')).toBe('/settings/widgets/lfk/');
    expect(screen.queryByRole('button', { name: 'Create Linear task' })).toBeNull();
  });

  it('tells other users to ask an administrator, without a link', async () => {
    renderPanel(new FakeBackend(lead({ configured: false, isAdmin: false })));
    expect(await screen.findByText(/Ask your Kommo administrator/)).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('offers Create and Link existing when no issue is linked', async () => {
    renderPanel(new FakeBackend(lead()));
    expect(await screen.findByText('No Linear issue is linked to this deal yet.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create Linear task' }).className).toContain('lfk-primary');
    expect(screen.getByRole('button', { name: 'Link existing' })).toBeTruthy();
  });

  it('shows "Creating…" for a link being created', async () => {
    renderPanel(new FakeBackend(lead({ links: [link({ status: 'creating', issue: null })] })), {
      poll: { pollMs: 60_000, maxPolls: 1 },
    });
    expect(await screen.findByText('Creating…')).toBeTruthy();
  });

  it('explains a retry in plain words', async () => {
    const problem = { code: 'linear_rate_limited', message: 'Linear rate limit', retryable: true };
    renderPanel(new FakeBackend(lead({ links: [link({ status: 'retrying', issue: null, problem })] })), {
      poll: { pollMs: 60_000, maxPolls: 1 },
    });
    expect(await screen.findByText('Waiting to retry: Linear rate limit')).toBeTruthy();
  });

  it('shows a failed creation with its reason and a Retry button', async () => {
    const problem = { code: 'invalid_input', message: 'Team ENG is archived', retryable: false };
    renderPanel(new FakeBackend(lead({ links: [link({ status: 'failed', issue: null, problem })] })));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not create: Team ENG is archived');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('shows every field of a linked issue', async () => {
    const backend = new FakeBackend(lead({ links: [link()], dealDeadline: '2026-03-15' }));
    renderPanel(backend);
    const row = await screen.findByTestId('issue-ENG-42');
    const id = within(row).getByRole('link', { name: 'ENG-42' });
    expect(id.getAttribute('href')).toBe('https://linear.app/acme/issue/ENG-42/onboard-acme-corp');
    expect(id.getAttribute('target')).toBe('_blank');
    expect(within(row).getByText('Onboard ACME Corp')).toBeTruthy();
    expect(within(row).getByText('In Progress')).toBeTruthy();
    expect((within(row).getByTestId('status-dot') as HTMLElement).style.background).toBe('rgb(242, 201, 76)');
    expect(within(row).getByText('Jane Doe')).toBeTruthy();
    expect(row.querySelector('img.lfk-avatar')?.getAttribute('src')).toBe('https://example.test/jane.png');
    expect(within(row).getByText('High')).toBeTruthy();
    expect(within(row).getByText(/20 Mar 2026|Mar 20, 2026/)).toBeTruthy();
    expect(within(row).getByTestId('late-flag').textContent).toMatch(/Later than the deal deadline \((15 Mar 2026|Mar 15, 2026)\)/);
    expect(within(row).getByText('Synced 5 minutes ago')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Open in Linear' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Unlink' })).toBeTruthy();
  });

  it('does not flag a due date on or before the deadline, and handles missing details', async () => {
    const plain = issue({ assignee: null, dueDate: null, state: null, priority: 0, syncedAt: null });
    renderPanel(new FakeBackend(lead({ links: [link({ issue: plain })], dealDeadline: '2026-03-15' })));
    const row = await screen.findByTestId('issue-ENG-42');
    expect(within(row).queryByTestId('late-flag')).toBeNull();
    for (const text of ['Unassigned', 'No priority', 'No due date', 'No status', 'Not synced yet']) {
      expect(within(row).getByText(text)).toBeTruthy();
    }
  });

  it('warns when the assignee was not found in Linear', async () => {
    const warnings = [{ code: 'assignee_not_found', message: 'No Linear user for jane@acme.test' }];
    renderPanel(new FakeBackend(lead({ links: [link({ warnings })] })));
    expect(await screen.findByText('Assignee not found in Linear: created unassigned')).toBeTruthy();
  });

  it('lists several issues of one deal', async () => {
    const second = link({ linkId: 'link-2', issue: issue({ issueId: 'i2', identifier: 'ENG-43', title: 'Train the team' }) });
    renderPanel(new FakeBackend(lead({ links: [link(), second] })));
    const list = await screen.findByRole('list', { name: 'Linear issues' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getByText('Train the team')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create Linear task' }).className).not.toContain('lfk-primary');
  });

  it('marks an issue deleted in Linear', async () => {
    renderPanel(new FakeBackend(lead({ links: [link({ issue: issue({ deleted: true }) })] })));
    expect(await screen.findByText('Deleted in Linear')).toBeTruthy();
  });

  it('shows a backend error with Try again, and recovers', async () => {
    const backend = new FakeBackend(backendError('server', 'Database unavailable', 503), lead());
    renderPanel(backend);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The Linear integration returned an error: Database unavailable');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No Linear issue is linked to this deal yet.')).toBeTruthy();
  });

  it('explains a refused token (401) instead of crashing', async () => {
    renderPanel(new FakeBackend(backendError('unauthorized', 'refused', 401)));
    expect((await screen.findByRole('alert')).textContent).toContain('Kommo could not confirm your session');
  });

  it.each([
    ['timeout', 'did not answer in time'],
    ['network', 'Could not reach'],
    ['invalid_response', 'does not understand'],
    ['no_server', 'server address is missing'],
  ] as const)('explains a %s error', async (kind, text) => {
    renderPanel(new FakeBackend(backendError(kind)));
    expect((await screen.findByRole('alert')).textContent).toContain(text);
  });
});
