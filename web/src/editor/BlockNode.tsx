import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { outputHandles } from '../../../src/model/blocks.ts';
import type { WorkflowNode } from '../../../src/model/graph.ts';
import type { NodeRunStatus } from '../run/run-state.ts';
import { BLOCK_LOOKS } from './block-catalog.ts';

export interface BlockNodeData extends Record<string, unknown> {
  block: WorkflowNode;
  problems?: string[];
  run?: NodeRunStatus;
}

const RUN_LABEL: Record<NodeRunStatus, string> = {
  queued: 'queued',
  running: 'running',
  waiting: 'waiting',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

/** One block on the canvas: its type, name, problems, live run status and one output handle per outcome. */
function BlockNodeView({ data, selected }: NodeProps & { data: BlockNodeData }) {
  const { block, problems = [], run } = data;
  const info = BLOCK_LOOKS[block.type];
  const outputs = outputHandles(block.type, block.config);
  return (
    <div
      className={`block-node${selected ? ' selected' : ''}${problems.length ? ' has-problems' : ''}${run ? ` run-${run}` : ''}`}
      data-testid={`node-${block.id}`}
      data-run-status={run ?? ''}
      style={{ '--accent': info.color } as React.CSSProperties}
    >
      {block.type !== 'start' && <Handle type="target" position={Position.Left} className="handle-in" />}
      <div className="block-head">
        <span className="block-icon" aria-hidden="true">
          {info.glyph}
        </span>
        <div className="block-titles">
          <div className="block-name">{block.name}</div>
          <div className="block-type">
            {info.label} · <code>{block.id}</code>
            {block.parentId && (
              <>
                {' '}
                · in <code>{block.parentId}</code>
              </>
            )}
          </div>
        </div>
      </div>
      {run && <span className={`run-pill run-${run}`}>{RUN_LABEL[run]}</span>}
      {problems.length > 0 && (
        <span className="problem-dot" title={problems.join('\n')} aria-label={`${problems.length} problem(s)`}>
          {problems.length}
        </span>
      )}
      <div className="block-outputs">
        {outputs.map((handle) => (
          <div key={handle ?? 'next'} className={`output-row${handle === 'error' ? ' output-error' : ''}`}>
            {handle && <span className="output-label">{handle}</span>}
            <Handle
              type="source"
              position={Position.Right}
              id={handle ?? undefined}
              className={`handle-out${handle === 'error' ? ' handle-error' : ''}`}
              data-handle={handle ?? 'next'}
            />
          </div>
        ))}
      </div>
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
export const NODE_TYPES = { block: BlockNode };
