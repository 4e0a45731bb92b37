import { useState } from 'react';
import type { TaskView } from '../../../src/model/tasks.ts';
import { useSession } from '../account/session.tsx';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/use-load.ts';
import { useListWrites } from '../settings/use-collection.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { ErrorBox, Loading } from '../ui/feedback.tsx';
import { browserTimeZone, localInputToIso, taskWhen } from './tasks-logic.ts';

/** The personal assistant's tasks: add one with an optional reminder, mark done, reopen, delete. */
export function TasksPage() {
  const session = useSession();
  const canWrite = session.can('tasks.write');
  const list = useLoad(() => api<{ items: TaskView[] }>('GET', '/api/v1/tasks?limit=200'), 'tasks');
  const action = useListWrites(list);
  const [title, setTitle] = useState('');
  const [remindAt, setRemindAt] = useState('');

  async function add(event: React.FormEvent) {
    event.preventDefault();
    const done = await action.write(() =>
      api('POST', '/api/v1/tasks', {
        title,
        timeZone: browserTimeZone(),
        remindAt: localInputToIso(remindAt),
      }).then(() => true),
    );
    if (!done) return;
    setTitle('');
    setRemindAt('');
  }
  const setStatus = (id: string, status: 'open' | 'done') =>
    action.write(() => api('PATCH', `/api/v1/tasks/${id}`, { status }));
  const remove = (id: string) => action.write(() => api('DELETE', `/api/v1/tasks/${id}`));

  return (
    <section className="content" aria-label="Tasks">
      <h1>Tasks</h1>
      <p className="muted">
        What the personal assistant keeps for you. Text it ("remind me to call the bank tomorrow at 9") or add one here;
        reminders go out by SMS to the task&apos;s phone number.
      </p>
      {canWrite && (
        <form className="inline-form" onSubmit={(e) => void add(e)} aria-label="Add a task">
          <label className="sr-only" htmlFor="task-title">
            Task
          </label>
          <input
            id="task-title"
            placeholder="e.g. Call the bank"
            value={title}
            maxLength={200}
            required
            onChange={(e) => setTitle(e.target.value)}
          />
          <label className="sr-only" htmlFor="task-remind">
            Remind me at
          </label>
          <input
            id="task-remind"
            type="datetime-local"
            value={remindAt}
            onChange={(e) => setRemindAt(e.target.value)}
          />
          <button type="submit" className="primary" disabled={action.busy}>
            Add task
          </button>
        </form>
      )}
      <ErrorBox error={action.error} onDismiss={action.clearError} />
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />
      {!list.data ? (
        list.loading && <Loading what="tasks" />
      ) : list.data.items.length === 0 ? (
        <p className="muted">No tasks yet.</p>
      ) : (
        <table className="table" data-testid="tasks">
          <thead>
            <tr>
              <th>Task</th>
              <th>When</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((task) => (
              <tr key={task.id} data-testid={`task-${task.id}`}>
                <td>{task.status === 'done' ? <s>{task.title}</s> : task.title}</td>
                <td>{taskWhen(task)}</td>
                <td>{task.status}</td>
                <td>
                  {canWrite && (
                    <div className="row-actions">
                      <button
                        type="button"
                        className="small"
                        disabled={action.busy}
                        onClick={() => void setStatus(task.id, task.status === 'done' ? 'open' : 'done')}
                      >
                        {task.status === 'done' ? 'Reopen' : 'Done'}
                      </button>
                      <ConfirmButton
                        label="Delete"
                        question={`Delete "${task.title}"?`}
                        disabled={action.busy}
                        onConfirm={() => void remove(task.id)}
                      />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
