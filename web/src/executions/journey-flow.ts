import { autoLayout, NODE_WIDTH } from '../editor/layout.ts';

export interface JourneyState {
  id: string;
  kind: string;
  nodeId: string;
  blockType: string;
  label: string;
  description: string;
  terminal: boolean;
}
export interface JourneyTransition {
  id: string;
  from: string;
  to: string;
  handle: string | null;
  condition: string;
  implicit?: boolean;
}
export interface Journey {
  name: string;
  states: JourneyState[];
  transitions: JourneyTransition[];
}

export const MAX_JOURNEY_STATES = 500;

/** A journey as React Flow nodes and edges, laid out left to right; states keep their kind for styling. Pure. */
export function journeyToFlow(journey: Journey) {
  const states = journey.states.slice(0, MAX_JOURNEY_STATES);
  const known = new Set(states.map((s) => s.id));
  const edges = journey.transitions
    .filter((t) => known.has(t.from) && known.has(t.to))
    .map((t) => ({
      id: t.id,
      source: t.from,
      target: t.to,
      label: t.handle ?? undefined,
      animated: Boolean(t.implicit),
      data: { condition: t.condition },
    }));
  const nodes = autoLayout(
    states.map((state) => ({
      id: state.id,
      position: { x: 0, y: 0 },
      data: { label: state.label },
      className: `journey-state kind-${state.kind}`,
      style: { width: NODE_WIDTH - 20 },
      title: state.description,
    })),
    edges,
  );
  return { nodes, edges };
}
