import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type Connection } from '@xyflow/react';
import { useCallback, useRef, useState } from 'react';
import type { EditorDoc, FlowEdge, FlowNode } from './flow-model.ts';
import { edgeId } from './flow-model.ts';
import { record, recordFrom, redo, replacePresent, startHistory, undo, type History } from './history.ts';

/**
 * The editor document with undo/redo. Canvas changes that are only looks (selection, measuring, a drag in
 * progress) replace the present; real edits record an undo step; a drag records one step from where it began.
 */
export function useEditor(initial: EditorDoc) {
  const [history, setHistory] = useState<History<EditorDoc>>(() => startHistory(initial));
  const dragOrigin = useRef<EditorDoc | null>(null);

  const change = useCallback((update: (doc: EditorDoc) => EditorDoc, mergeKey?: string) => {
    setHistory((h) => record(h, update(h.present), mergeKey));
  }, []);
  const look = useCallback(
    (update: (doc: EditorDoc) => EditorDoc) => setHistory((h) => replacePresent(h, update(h.present))),
    [],
  );

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setHistory((h) => {
      const next = {
        ...h.present,
        nodes: applyNodeChanges(changes, h.present.nodes as never) as unknown as FlowNode[],
      };
      const positions = changes.filter((c) => c.type === 'position');
      if (positions.some((c) => c.dragging)) {
        dragOrigin.current ??= h.present;
        return replacePresent(h, next);
      }
      if (positions.length > 0 && dragOrigin.current) {
        const origin = dragOrigin.current;
        dragOrigin.current = null;
        return recordFrom(h, origin, next);
      }
      return replacePresent(h, next);
    });
  }, []);

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      // Deleting goes through deleteSelection (one undo step for nodes and edges); here only selection.
      const kept = changes.filter((c) => c.type !== 'remove');
      look((doc) => ({ ...doc, edges: applyEdgeChanges(kept, doc.edges as never) as unknown as FlowEdge[] }));
    },
    [look],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      change((doc) => {
        const exists = doc.edges.some(
          (e) =>
            e.source === connection.source &&
            e.target === connection.target &&
            (e.sourceHandle ?? null) === (connection.sourceHandle ?? null),
        );
        if (exists || connection.source === connection.target) return doc;
        const id = edgeId(
          connection.source,
          connection.sourceHandle,
          connection.target,
          new Set(doc.edges.map((e) => e.id)),
        );
        const edge: FlowEdge = {
          id,
          source: connection.source,
          target: connection.target,
          sourceHandle: connection.sourceHandle ?? null,
          label: connection.sourceHandle ?? undefined,
        };
        return { ...doc, edges: [...doc.edges, edge] };
      });
    },
    [change],
  );

  return {
    doc: history.present,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    change,
    look,
    onNodesChange,
    onEdgesChange,
    onConnect,
    undo: useCallback(() => setHistory(undo), []),
    redo: useCallback(() => setHistory(redo), []),
  };
}

export type Editor = ReturnType<typeof useEditor>;
