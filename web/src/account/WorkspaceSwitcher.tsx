import { useSession } from './session.tsx';

/** The workspace the app acts in; switching reloads every page in the chosen one and is remembered. */
export function WorkspaceSwitcher() {
  const { me, workspace, switchWorkspace } = useSession();
  return (
    <label className="workspace-switcher">
      <span className="sr-only">Workspace</span>
      <select
        aria-label="Workspace"
        value={workspace.id}
        onChange={(e) => switchWorkspace(e.target.value)}
        data-testid="workspace-switcher"
      >
        {me.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
    </label>
  );
}
