import { Background, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/use-load.ts';
import { ErrorBox, Loading } from '../ui/feedback.tsx';
import { journeyToFlow, type Journey } from './journey-flow.ts';

/** The workflow version as a conversation journey (GET …/journey), drawn as a graph of states. */
export function JourneyGraph({ workflowId, version }: { workflowId: string; version: number }) {
  const journey = useLoad(
    () => api<Journey>('GET', `/api/v1/workflows/${workflowId}/journey?version=${version}`),
    `${workflowId}:${version}`,
  );
  const flow = useMemo(() => (journey.data ? journeyToFlow(journey.data) : null), [journey.data]);
  if (journey.error) return <ErrorBox error={journey.error} onRetry={journey.reload} />;
  if (!flow) return <Loading what="the journey" />;
  return (
    <div className="journey" data-testid="journey">
      <ReactFlowProvider>
        <ReactFlow
          nodes={flow.nodes}
          edges={flow.edges}
          fitView
          fitViewOptions={{ padding: 0.15 }}
          minZoom={0.1}
          nodesDraggable={false}
          nodesConnectable={false}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </ReactFlowProvider>
      <p className="muted small">
        Kinds: <span className="kind-initial legend">start</span>{' '}
        <span className="kind-chat legend">asks a person</span> <span className="kind-fork legend">decision</span>{' '}
        <span className="kind-tool legend">tool</span> <span className="kind-final legend">answer</span>
      </p>
    </div>
  );
}
