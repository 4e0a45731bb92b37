import { CONTAINER_TYPES } from '../../../src/model/blocks.ts';
import type { WorkflowNode } from '../../../src/model/graph.ts';
import { BLOCK_LOOKS } from './block-catalog.ts';
import { ConfigForm } from './ConfigForm.tsx';
import { setConfigValue, updateBlock } from './doc-edits.ts';
import type { EditorDoc } from './flow-model.ts';
import { InputSchemaEditor } from './InputSchemaEditor.tsx';
import type { ProblemIndex } from './problems.ts';
import type { Editor } from './use-editor.ts';

/** The side panel: the selected block's settings, or the workflow's when nothing is selected. */
export function Inspector({ editor, problems }: { editor: Editor; problems: ProblemIndex }) {
  const selected = editor.doc.nodes.filter((n) => n.selected);
  if (selected.length > 1)
    return (
      <p className="muted pad">
        {selected.length} blocks selected. Drag to move them, Delete to remove, Ctrl+C to copy.
      </p>
    );
  const node = selected[0];
  if (!node) return <WorkflowSettings editor={editor} problems={problems} />;
  return <BlockSettings key={node.id} block={node.data.block} editor={editor} problems={problems} />;
}

function BlockSettings({ block, editor, problems }: { block: WorkflowNode; editor: Editor; problems: ProblemIndex }) {
  const info = BLOCK_LOOKS[block.type];
  const nodeProblems = problems.nodes.get(block.id);
  const edit = (update: (b: WorkflowNode) => WorkflowNode, key: string) =>
    editor.change((doc) => updateBlock(doc, block.id, update), `${block.id}:${key}`);
  const containers = editor.doc.nodes.filter((n) => CONTAINER_TYPES.has(n.data.block.type) && n.id !== block.id);
  return (
    <div className="inspector" data-testid="block-inspector">
      <h2>
        <span className="block-icon" style={{ '--accent': info.color } as React.CSSProperties}>
          {info.glyph}
        </span>{' '}
        {info.label}
      </h2>
      <p className="muted">
        {info.description} · id <code>{block.id}</code> (templates read it as <code>steps.{block.id}.output</code>)
      </p>
      {nodeProblems && nodeProblems.all.length > 0 && (
        <ul className="panel-problems" data-testid="node-problems">
          {nodeProblems.all.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor="block-name">Name</label>
        <input
          id="block-name"
          value={block.name}
          maxLength={200}
          onChange={(e) => edit((b) => ({ ...b, name: e.target.value }), 'name')}
        />
      </div>
      <div className="field">
        <label htmlFor="block-description">Description</label>
        <input
          id="block-description"
          value={block.description ?? ''}
          maxLength={2000}
          onChange={(e) =>
            edit((b) => {
              const { description: _d, ...rest } = b;
              return e.target.value ? { ...rest, description: e.target.value } : rest;
            }, 'description')
          }
        />
      </div>
      {containers.length > 0 && block.type !== 'start' && (
        <div className="field">
          <label htmlFor="block-parent">Inside container</label>
          <select
            id="block-parent"
            value={block.parentId ?? ''}
            onChange={(e) =>
              edit((b) => {
                const { parentId: _p, ...rest } = b;
                return e.target.value ? { ...rest, parentId: e.target.value } : rest;
              }, 'parent')
            }
          >
            <option value="">(none: top level)</option>
            {containers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.data.block.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <ConfigForm
        block={block}
        fieldProblems={nodeProblems?.byField ?? {}}
        completion={{
          inputs: editor.doc.meta.inputs,
          stepIds: editor.doc.nodes.map((n) => n.id).filter((id) => id !== block.id),
        }}
        onChange={(key, value) => edit((b) => setConfigValue(b, key, value), `config.${key}`)}
      />
    </div>
  );
}

function WorkflowSettings({ editor, problems }: { editor: Editor; problems: ProblemIndex }) {
  const { meta } = editor.doc;
  const setMeta = (patch: Partial<EditorDoc['meta']>, key: string) =>
    editor.change((doc) => ({ ...doc, meta: { ...doc.meta, ...patch } }), `meta.${key}`);
  return (
    <div className="inspector" data-testid="workflow-inspector">
      <h2>Workflow</h2>
      <p className="muted">Select a block to edit it. Shift-drag selects several.</p>
      {problems.graph.length > 0 && (
        <ul className="panel-problems">
          {problems.graph.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor="wf-name">Name</label>
        <input
          id="wf-name"
          value={meta.name}
          maxLength={200}
          onChange={(e) => setMeta({ name: e.target.value }, 'name')}
        />
      </div>
      <div className="field">
        <label htmlFor="wf-description">Description</label>
        <textarea
          id="wf-description"
          rows={2}
          value={meta.description ?? ''}
          maxLength={5000}
          onChange={(e) => setMeta({ description: e.target.value || undefined }, 'description')}
        />
      </div>
      <div className="field">
        <label htmlFor="wf-mode">Default run mode</label>
        <select
          id="wf-mode"
          value={meta.settings?.mode ?? 'autonomous'}
          onChange={(e) => setMeta({ settings: { ...meta.settings, mode: e.target.value as 'autonomous' } }, 'mode')}
        >
          <option value="autonomous">autonomous</option>
          <option value="step-by-step">step-by-step</option>
          <option value="hybrid">hybrid (pause at pause points)</option>
        </select>
      </div>
      <InputSchemaEditor schema={meta.inputs} onChange={(inputs) => setMeta({ inputs }, 'inputs')} />
    </div>
  );
}
