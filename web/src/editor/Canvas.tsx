import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type Edge, type Node } from '@xyflow/react';
import { useMemo } from 'react';
import { isBlockType, type BlockType } from '../../../src/model/blocks.ts';
import type { NodeRunStatus } from '../run/run-state.ts';
import { BLOCK_LOOKS } from './block-catalog.ts';
import { NODE_TYPES, type BlockNodeData } from './BlockNode.tsx';
import { DRAG_MIME } from './Palette.tsx';
import type { ProblemIndex } from './problems.ts';
import type { Editor } from './use-editor.ts';

interface CanvasProps {
  editor: Editor;
  problems: ProblemIndex;
  run: Record<string, NodeRunStatus> | null;
  onDropBlock: (type: BlockType, position: { x: number; y: number }) => void;
  /** Blocks can be selected (to read their settings) but not moved, connected or dropped. */
  readOnly?: boolean;
}

/** The React Flow canvas: the document's nodes decorated with problems and live run status. */
export function Canvas({ editor, problems, run, onDropBlock, readOnly = false }: CanvasProps) {
  const flow = useReactFlow();
  const nodes = useMemo(
    () =>
      editor.doc.nodes.map((node): Node<BlockNodeData> => ({
        ...node,
        data: { ...node.data, problems: problems.nodes.get(node.id)?.all, run: run?.[node.id] },
      })),
    [editor.doc.nodes, problems, run],
  );
  const edges = useMemo(
    () =>
      editor.doc.edges.map((edge): Edge => ({
        ...edge,
        className:
          [edge.sourceHandle === 'error' ? 'edge-error' : '', problems.edges.has(edge.id) ? 'edge-problem' : '']
            .join(' ')
            .trim() || undefined,
        animated: run ? run[edge.source] === 'done' && run[edge.target] === 'running' : false,
      })),
    [editor.doc.edges, problems, run],
  );

  return (
    <div
      className="canvas"
      data-testid="canvas"
      onDragOver={(e) => {
        if (!readOnly && e.dataTransfer.types.includes(DRAG_MIME)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
        }
      }}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(DRAG_MIME);
        if (readOnly || !isBlockType(type)) return;
        e.preventDefault();
        onDropBlock(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.onConnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: 'smoothstep' }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap
          pannable
          zoomable
          nodeColor={(n) => BLOCK_LOOKS[(n.data as BlockNodeData).block.type]?.color ?? '#999'}
        />
      </ReactFlow>
    </div>
  );
}
