/** @jest-environment jsdom */
/**
 * What the user can do in the block: create (and follow progress), retry, unlink, link an
 * existing issue by identifier or by search.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { backendError, FakeBackend } from './support/fake-backend';
import { issue, lead, link } from './support/fixtures';
import { renderPanel } from './support/render-panel';

const creating = link({ status: 'creating', issue: null });

describe('Panel actions', () => {
  it('creates an issue and polls the lead until it is linked', async () => {
    const backend = new FakeBackend(lead(), lead({ links: [creating] }), lead({ links: [creating] }), lead({ links: [link()] }));
    backend.linkAnswers = [creating];
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Create Linear task' }));
    expect(await screen.findByText('Creating…')).toBeTruthy();
    expect(await screen.findByTestId('issue-ENG-42')).toBeTruthy();
    expect(backend.callsOf('createIssue')).toEqual([[7]]);
    const polls = backend.callsOf('getLead').length;
    expect(polls).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.callsOf('getLead')).toHaveLength(polls); // stops once nothing is in progress
  });

  it('follows a creation until it fails, then offers Retry', async () => {
    const problem = { code: 'invalid_input', message: 'Title is empty', retryable: false };
    const backend = new FakeBackend(lead(), lead({ links: [link({ status: 'failed', issue: null, problem })] }));
    backend.linkAnswers = [creating];
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Create Linear task' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not create: Title is empty');
  });

  it('stops polling after the bound and offers Refresh', async () => {
    const backend = new FakeBackend(lead({ links: [creating] }));
    renderPanel(backend, { poll: { pollMs: 5, maxPolls: 3 } });
    expect(await screen.findByText('Still working on it. Check again in a minute.')).toBeTruthy();
    expect(backend.callsOf('getLead')).toHaveLength(4); // first load + 3 polls
    backend.leads = [lead({ links: [link()] })];
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByTestId('issue-ENG-42')).toBeTruthy();
    expect(screen.queryByText(/Still working/)).toBeNull();
  });

  it('retries a failed link and follows it', async () => {
    const problem = { code: 'linear_unavailable', message: 'Linear is down', retryable: true };
    const failed = link({ status: 'failed', issue: null, problem });
    const backend = new FakeBackend(lead({ links: [failed] }), lead({ links: [link()] }));
    backend.linkAnswers = [link({ status: 'retrying', issue: null, problem })];
    renderPanel(backend);
    fireEvent.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('issue-ENG-42')).toBeTruthy();
    expect(backend.callsOf('retry')).toEqual([[7, 'link-1']]);
  });

  it('shows an action error without losing the list', async () => {
    const backend = new FakeBackend(lead({ links: [link()] }));
    backend.linkAnswers = [backendError('server', 'Deal is not won', 409)];
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Create Linear task' }));
    expect((await screen.findByRole('alert')).textContent).toContain('returned an error: Deal is not won');
    expect(screen.getByTestId('issue-ENG-42')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('unlinks after a confirmation', async () => {
    const backend = new FakeBackend(lead({ links: [link()] }));
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Unlink' }));
    expect(screen.getByText('Unlink ENG-42 from this deal? The issue stays in Linear.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Unlink' }));
    expect(backend.callsOf('unlink')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(screen.queryByTestId('issue-ENG-42')).toBeNull());
    expect(backend.callsOf('unlink')).toEqual([[7, 'link-1']]);
    expect(screen.getByText('No Linear issue is linked to this deal yet.')).toBeTruthy();
  });

  it('cancels an unlink', async () => {
    const backend = new FakeBackend(lead({ links: [link()] }));
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Unlink' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('link', { name: 'Open in Linear' })).toBeTruthy();
    expect(backend.callsOf('unlink')).toEqual([]);
  });

  it('links an existing issue typed as an identifier', async () => {
    const backend = new FakeBackend(lead());
    backend.linkAnswers = [link()];
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Link existing' }));
    const input = screen.getByLabelText('Linear issue');
    expect(document.activeElement).toBe(input);
    fireEvent.input(input, { target: { value: 'eng-42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Link' }));
    expect(await screen.findByTestId('issue-ENG-42')).toBeTruthy();
    expect(backend.callsOf('linkExisting')).toEqual([[7, 'ENG-42']]);
    expect(screen.queryByLabelText('Linear issue')).toBeNull();
    expect(backend.callsOf('search')).toEqual([]);
  });

  it('searches by text and links a result', async () => {
    const backend = new FakeBackend(lead());
    backend.searchAnswers = [[{ issueId: 'i9', identifier: 'ENG-9', title: 'Onboarding checklist', url: 'https://linear.app/x', state: null }]];
    backend.linkAnswers = [link({ issue: issue({ identifier: 'ENG-9' }) })];
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Link existing' }));
    fireEvent.input(screen.getByLabelText('Linear issue'), { target: { value: 'onboarding' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Search' }).closest('form') as HTMLFormElement);
    const results = await screen.findByRole('list', { name: 'Search results' });
    expect(backend.callsOf('search')).toEqual([['onboarding']]);
    fireEvent.click(within(results).getByRole('button', { name: /ENG-9 Onboarding checklist/ }));
    expect(await screen.findByTestId('issue-ENG-9')).toBeTruthy();
    expect(backend.callsOf('linkExisting')).toEqual([[7, 'ENG-9']]);
  });

  it('says when a search finds nothing, and shows a link error next to the input', async () => {
    const backend = new FakeBackend(lead());
    backend.searchAnswers = [[]];
    backend.linkAnswers = [backendError('server', 'Issue ENG-404 not found', 404)];
    renderPanel(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Link existing' }));
    const input = screen.getByLabelText('Linear issue');
    fireEvent.input(input, { target: { value: 'nothing here' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    expect(await screen.findByText('Nothing found for “nothing here”.')).toBeTruthy();
    fireEvent.input(input, { target: { value: 'ENG-404' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    expect((await screen.findByRole('alert')).textContent).toContain('Issue ENG-404 not found');
    expect(screen.getByLabelText('Linear issue')).toBeTruthy();
  });

  it('closes Link existing with Escape', async () => {
    renderPanel(new FakeBackend(lead()));
    fireEvent.click(await screen.findByRole('button', { name: 'Link existing' }));
    fireEvent.keyDown(screen.getByLabelText('Linear issue'), { key: 'Escape' });
    expect(screen.queryByLabelText('Linear issue')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Link existing' }));
  });
});
