import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { BLOCK_CATALOG, defaultBlockConfig, type BlockType } from '../../../src/model/blocks.ts';
import { validateGraph } from '../../../src/graph/validate.ts';
import { useSession } from '../account/session.tsx';
import { ChatPanel } from '../chat/ChatPanel.tsx';
import { api } from '../lib/api.ts';
import type { Workflow, WorkflowGraph, WorkflowVersion } from '../lib/types.ts';
import { useLoad } from '../lib/use-load.ts';
import { RunPanel } from '../run/RunPanel.tsx';
import { nodeStatuses } from '../run/run-state.ts';
import { useRun } from '../run/use-run.ts';
import { ErrorBox, Loading, PageError } from '../ui/feedback.tsx';
import { Canvas } from './Canvas.tsx';
import { addNode, deleteSelection } from './doc-edits.ts';
import { EditorToolbar, type LayoutMode } from './EditorToolbar.tsx';
import { docToGraph, graphToDoc, newBlockNode, type EditorDoc } from './flow-model.ts';
import { uniqueId } from './ids.ts';
import { Inspector } from './Inspector.tsx';
import { TriggersPanel } from './TriggersPanel.tsx';
import { autoLayout, placeMissing } from './layout.ts';
import { Palette } from './Palette.tsx';
import { indexProblems } from './problems.ts';
import { useEditorShortcuts } from './use-editor-shortcuts.ts';
import { useEditor } from './use-editor.ts';
import { VersionsPanel } from './VersionsPanel.tsx';
import { downloadJson, readJsonFile } from './files.ts';

type Tab = 'inspect' | 'run' | 'versions';

const MODE_KEY = 'duet.editor.mode';

export function EditorPage({ workflowId }: { workflowId: string }) {
  const loaded = useLoad(() => api<Workflow>('GET', `/api/v1/workflows/${encodeURIComponent(workflowId)}`), workflowId);
  if (loaded.error && !loaded.data)
    return (
      <PageError
        error={loaded.error}
        what="workflow"
        back={{ to: '/workflows', label: 'All workflows' }}
        onRetry={loaded.reload}
      />
    );
  if (!loaded.data) return <Loading what="the workflow" />;
  return (
    <ReactFlowProvider>
      <EditorWorkspace workflow={loaded.data} />
    </ReactFlowProvider>
  );
}

/** The editor document for a graph; blocks without a position (added by chat, or a file without any) get one. */
function docFor(graph: WorkflowGraph): EditorDoc {
  const doc = graphToDoc(graph);
  return { ...doc, nodes: placeMissing(doc.nodes, doc.edges, (n) => Boolean(n.data.block.position)) };
}
const signature = (graph: WorkflowGraph) => JSON.stringify(graph);

/** The editor: palette, canvas, side panel (block, run, versions) and the chat, in the chosen layout. */
function EditorWorkspace({ workflow: initial }: { workflow: Workflow }) {
  // A viewer sees the canvas, runs and chats, but edits nothing (the server refuses it too).
  const canEdit = useSession().can('workflows.write');
  const [workflow, setWorkflow] = useState(initial);
  const editor = useEditor(docFor(initial.draft));
  const flow = useReactFlow();
  const [saved, setSaved] = useState(() => signature(docToGraph(docFor(initial.draft))));
  const [tab, setTab] = useState<Tab>('inspect');
  const [mode, setMode] = useState<LayoutMode>(() => (localStorage.getItem(MODE_KEY) as LayoutMode | null) ?? 'hybrid');
  const [executionId, setExecutionId] = useState<string | null>(null);
  // The chat starts its conversation the first time it is shown, then stays mounted (hidden in the visual
  // layout) so switching layouts keeps the conversation and its history.
  const [chatStarted, setChatStarted] = useState(mode !== 'visual');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [versionsKey, setVersionsKey] = useState(0);
  const [canvasNote, setCanvasNote] = useState<{ key: number; text: string } | null>(null);
  const follow = useRun(executionId);

  const graph = useMemo(() => docToGraph(editor.doc), [editor.doc]);
  const dirty = signature(graph) !== saved;
  const checked = useDeferredValue(graph);
  const problems = useMemo(() => indexProblems(validateGraph(checked).problems), [checked]);
  const problemCount =
    problems.graph.length + [...problems.nodes.values()].reduce((n, p) => n + p.all.length, 0) + problems.edges.size;
  const selected = editor.doc.nodes.filter((n) => n.selected);
  const runStatuses = useMemo(
    () => (follow.run ? nodeStatuses(follow.run, graph.nodes) : null),
    [follow.run, graph.nodes],
  );

  useEffect(() => {
    localStorage.setItem(MODE_KEY, mode);
    if (mode !== 'visual') setChatStarted(true);
  }, [mode]);

  /** Runs an action with the busy flag; says `what` when done (or what the action returned). */
  const run = useCallback(async (what: string, work: () => Promise<string | void>) => {
    setBusy(true);
    setError(null);
    try {
      setNotice((await work()) ?? what);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }, []);

  const saveDraft = useCallback(async (): Promise<Workflow> => {
    const updated = await api<Workflow>('PUT', `/api/v1/workflows/${workflow.id}`, graph);
    setWorkflow(updated);
    setSaved(signature(graph));
    return updated;
  }, [graph, workflow.id]);

  const save = () =>
    run('Draft saved', async () => {
      await saveDraft();
    });
  const publish = () =>
    run('Published', async () => {
      if (dirty) await saveDraft();
      const version = await api<WorkflowVersion>('POST', `/api/v1/workflows/${workflow.id}/versions`);
      setWorkflow((w) => ({ ...w, latestVersion: version.number }));
      setVersionsKey((k) => k + 1);
      return `Published v${version.number}`;
    });

  /** After the chat edited the draft on the server, show the server's draft (an undo step brings ours back). */
  const reloadDraft = useCallback(async () => {
    try {
      const fresh = await api<Workflow>('GET', `/api/v1/workflows/${workflow.id}`);
      setWorkflow(fresh);
      const doc = docFor(fresh.draft);
      editor.change(() => doc);
      setSaved(signature(docToGraph(doc)));
      setNotice('The chat changed the draft');
    } catch (caught) {
      setError(caught);
    }
  }, [editor, workflow.id]);

  const addBlock = useCallback(
    (type: BlockType, position?: { x: number; y: number }) => {
      const at = position ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
      editor.change((doc) => {
        const id = uniqueId(type, new Set(doc.nodes.map((n) => n.id)));
        return addNode(doc, newBlockNode(id, type, BLOCK_CATALOG[type].label, at, defaultBlockConfig(type)));
      });
      setTab('inspect');
    },
    [editor, flow],
  );

  const layout = useCallback(() => {
    editor.change((doc) => ({ ...doc, nodes: autoLayout(doc.nodes, doc.edges) }));
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 200 }));
  }, [editor, flow]);

  const exportJson = () =>
    run('Exported', async () => {
      downloadJson(`${workflow.slug}.duet.json`, await api('GET', `/api/v1/workflows/${workflow.id}/export`));
    });
  const importJson = (file: File) =>
    run('Imported into the draft (not saved yet)', async () => {
      const parsed = await readJsonFile(file);
      const imported = (parsed as { graph?: WorkflowGraph }).graph ?? (parsed as WorkflowGraph);
      if (!imported || !Array.isArray(imported.nodes))
        throw new Error(`${file.name} holds no workflow graph (nodes are missing)`);
      editor.change(() => docFor(imported));
    });

  const fit = useCallback(() => void flow.fitView({ padding: 0.2, duration: 200 }), [flow]);
  useEditorShortcuts(editor, { save: () => void save(), layout, fit }, !canEdit);

  const followExecution = useCallback((id: string) => {
    setExecutionId(id);
  }, []);

  return (
    <div className={`editor mode-${mode}`}>
      <EditorToolbar
        title={graph.name}
        slug={workflow.slug}
        editor={editor}
        dirty={dirty}
        problemCount={problemCount}
        busy={busy}
        canEdit={canEdit}
        mode={mode}
        onMode={setMode}
        onDelete={() => editor.change(deleteSelection)}
        onLayout={layout}
        onFit={fit}
        onImport={(file) => void importJson(file)}
        onExport={() => void exportJson()}
        onSave={() => void save()}
        onPublish={() => void publish()}
      />
      {(error || notice) && (
        <div className="editor-messages">
          <ErrorBox error={error} onDismiss={() => setError(null)} />
          {notice && !error && (
            <div className="notice" role="status" onAnimationEnd={() => setNotice('')}>
              {notice}
            </div>
          )}
        </div>
      )}
      <div className="editor-body">
        {mode !== 'conversational' && canEdit && <Palette onAdd={(type) => addBlock(type)} />}
        {mode !== 'conversational' && (
          <Canvas editor={editor} problems={problems} run={runStatuses} onDropBlock={addBlock} readOnly={!canEdit} />
        )}
        {mode !== 'conversational' && (
          <aside className="side-panel" aria-label="Details">
            <div className="tabs" role="tablist">
              {(['inspect', 'run', 'versions'] as const).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={tab === t}
                  className={tab === t ? 'active' : ''}
                  onClick={() => setTab(t)}
                >
                  {t === 'inspect' ? (selected.length === 1 ? 'Block' : 'Workflow') : t === 'run' ? 'Run' : 'Versions'}
                </button>
              ))}
            </div>
            <div className="tab-body">
              {tab === 'inspect' && (
                <fieldset className="bare" disabled={!canEdit}>
                  <Inspector editor={editor} problems={problems} />
                  {selected.length === 1 && selected[0]!.data.block.type === 'start' && (
                    <TriggersPanel workflowId={workflow.id} />
                  )}
                </fieldset>
              )}
              {tab === 'run' && (
                <RunPanel
                  workflowId={workflow.id}
                  inputs={graph.inputs}
                  published={workflow.latestVersion !== null}
                  follow={follow}
                  selectedNodeId={selected.length === 1 ? selected[0]!.id : null}
                  onStarted={followExecution}
                  onPublish={() => void publish()}
                  onAction={(text) => setCanvasNote((n) => ({ key: (n?.key ?? 0) + 1, text }))}
                />
              )}
              {tab === 'versions' && (
                <VersionsPanel
                  workflowId={workflow.id}
                  draft={graph}
                  reloadKey={versionsKey}
                  onRestore={canEdit ? (g) => editor.change(() => docFor(g)) : undefined}
                />
              )}
            </div>
          </aside>
        )}
        {chatStarted && (
          <ChatPanel
            hidden={mode === 'visual'}
            workflowId={workflow.id}
            canvasNote={canvasNote}
            onExecution={(id) => {
              followExecution(id);
              setTab('run');
            }}
            onDraftChanged={() => void reloadDraft()}
          />
        )}
      </div>
    </div>
  );
}
