/** @jest-environment jsdom */
/** Fields, tag → priority rules, user matching with manual overrides, and notes. */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { settingsInput } from './support/settings-fixtures';

const savedInput = async (backend: FakeSettingsBackend) => {
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
  return backend.callsOf('save')[0]?.[0];
};

describe('fields and priorities', () => {
  it('adds a tag rule, flags it while empty, and saves it', async () => {
    const backend = new FakeSettingsBackend();
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Add tag rule' }));
    const row = screen.getByTestId('tag-rule-1');
    const tag = within(row).getByLabelText('Tag');
    expect(tag.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText('Fix the highlighted values, then save.')).getAttribute('role')).toBe('alert');
    expect(backend.callsOf('save')).toEqual([]);

    fireEvent.input(tag, { target: { value: 'urgent' } });
    fireEvent.change(within(row).getByLabelText('Priority'), { target: { value: '1' } });
    expect(tag.getAttribute('aria-invalid')).toBe('false');
    fireEvent.click(within(screen.getByTestId('tag-rule-0')).getByRole('button', { name: 'Remove tag rule 1' }));
    expect(await savedInput(backend)).toEqual(settingsInput({ priorityTags: [{ tag: 'urgent', priority: 1 }] }));
  });

  it('picks the lead fields by name', async () => {
    const backend = new FakeSettingsBackend();
    renderSettings(backend);
    fireEvent.change(await screen.findByLabelText('Spec field (issue description)'), { target: { value: 'Brief' } });
    expect(await savedInput(backend)).toMatchObject({ fields: { spec: 'Brief', deadline: 'Deadline', issue: 'Linear issue' } });
  });
});

describe('users', () => {
  it('highlights Kommo users without a Linear user', async () => {
    renderSettings(new FakeSettingsBackend());
    const jane = await screen.findByTestId('user-100');
    const bob = screen.getByTestId('user-101');
    expect(jane.className).not.toContain('lfk-unmatched');
    expect(jane.textContent).toContain('by email');
    expect(bob.className).toContain('lfk-unmatched');
    expect(bob.textContent).toContain('No Linear user: issues are created unassigned');
  });

  it('writes a manual override, and removes it again', async () => {
    const backend = new FakeSettingsBackend();
    renderSettings(backend);
    const select = await screen.findByLabelText('Linear user for Bob Sales');
    fireEvent.change(select, { target: { value: 'lu-2' } });
    const bob = screen.getByTestId('user-101');
    expect(bob.className).not.toContain('lfk-unmatched');
    expect(bob.textContent).toContain('Bob Linear');
    expect(bob.textContent).toContain('chosen by hand');
    expect(await savedInput(backend)).toMatchObject({ userOverrides: [{ kommo: 101, linear: 'lu-2' }] });

    fireEvent.change(screen.getByLabelText('Linear user for Bob Sales'), { target: { value: '' } });
    expect(screen.getByTestId('user-101').className).toContain('lfk-unmatched');
  });
});

describe('notes', () => {
  it('toggles events and picks the language', async () => {
    const backend = new FakeSettingsBackend();
    renderSettings(backend);
    fireEvent.click(await screen.findByLabelText('reassigned'));
    fireEvent.change(screen.getByLabelText('Language of the notes'), { target: { value: 'pt' } });
    expect(await savedInput(backend)).toMatchObject({ notes: { reassigned: false, created: true }, language: 'pt' });
  });
});
