/** @jest-environment jsdom */
/** Follow-up: a task for the manager and a stage move on completion, cancellation set apart. */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { settingsInput, settingsView } from './support/settings-fixtures';

function viewWithStages() {
  const view = settingsView();
  return { ...view, kommo: { ...view.kommo, pipelines: [{ id: 10, name: 'Sales', stages: [{ id: 101, name: 'Onboarded' }, { id: 142, name: 'Won' }] }] } };
}

const savedInput = async (backend: FakeSettingsBackend) => {
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
  return backend.callsOf('save')[0]?.[0];
};

describe('follow-up', () => {
  it('turns on the completion task with its due time and type, and a stage move; cancellation stays off', async () => {
    const backend = new FakeSettingsBackend(viewWithStages());
    renderSettings(backend);
    const completed = await screen.findByTestId('follow-up-completed');
    fireEvent.click(within(completed).getByLabelText("Create a task for the deal's responsible user"));
    fireEvent.input(within(completed).getByLabelText('Due in (working hours, Mon–Fri 9:00–18:00)'), { target: { value: '8' } });
    fireEvent.change(within(completed).getByLabelText('Task type'), { target: { value: '2' } });
    fireEvent.change(within(completed).getByLabelText('Move the deal to'), { target: { value: '10:101' } });
    expect(await savedInput(backend)).toEqual(
      settingsInput({
        followUp: {
          completed: { task: true, dueInWorkingHours: 8, taskTypeId: 2, moveTo: { pipelineId: 10, statusId: 101 } },
          canceled: { task: false, dueInWorkingHours: 4, taskTypeId: 1 },
        },
      }),
    );
  });

  it('flags hours that are not a whole number and does not save', async () => {
    const backend = new FakeSettingsBackend(viewWithStages());
    renderSettings(backend);
    const canceled = await screen.findByTestId('follow-up-canceled');
    fireEvent.click(within(canceled).getByLabelText("Create a task for the deal's responsible user"));
    const hours = within(canceled).getByLabelText('Due in (working hours, Mon–Fri 9:00–18:00)');
    fireEvent.input(hours, { target: { value: 'soon' } });
    expect(hours.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Fix the highlighted values, then save.');
    expect(backend.callsOf('save')).toEqual([]);
  });
});
