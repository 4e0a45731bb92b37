import type { BlockType, JourneyStateKind } from '../model/blocks.ts';

export type { JourneyStateKind };

export interface JourneyField {
  name: string;
  type: string;
  description: string;
  required: boolean;
  enum?: Array<string | number>;
}

export interface JourneyState {
  id: string;
  kind: JourneyStateKind;
  nodeId: string;
  blockType: BlockType;
  label: string;
  /** A sentence the dialogue manager can say as is. */
  description: string;
  /** A top-level state with no way out: the journey ends there, with or without a response. */
  terminal: boolean;
  /** The raw template of an input, approval or agent step. */
  prompt?: string;
  fields?: JourneyField[];
  /** The loop or parallel state that holds this one. */
  parentId?: string;
}

export interface JourneyTransition {
  id: string;
  from: string;
  to: string;
  handle: string | null;
  condition: string;
  /** Not an edge of the graph: a container entering one of its children. */
  implicit?: true;
}

export interface UnmappedItem {
  kind: 'node' | 'edge';
  id: string;
  reason: string;
}

export interface JourneyReport {
  mappedNodes: number;
  mappedEdges: number;
  unmapped: UnmappedItem[];
}

export interface Journey {
  name: string;
  states: JourneyState[];
  transitions: JourneyTransition[];
  report: JourneyReport;
}
