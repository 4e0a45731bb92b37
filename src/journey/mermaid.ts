import type { Journey, JourneyState, JourneyTransition } from './types.ts';

/** Text safe inside a Mermaid label: one line, `;` and quotes as entity codes (`;` first: codes end in one). */
function escape(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/;/g, '#59;')
    .replace(/"/g, '#quot;');
}

const arrow = (t: JourneyTransition) => `${t.from} --> ${t.to} : ${escape(t.condition)}`;

/**
 * A Mermaid `stateDiagram-v2` of a journey, in graph order so the same journey always gives the
 * same text. Containers become composite states that a child enters from `[*]`; a transition
 * between children of one container is drawn inside it, any other at the top level.
 */
export function toMermaid(journey: Journey): string {
  const parentOf = new Map(journey.states.map((s) => [s.id, s.parentId]));
  const lines = ['stateDiagram-v2'];
  const block = (parentId: string | undefined, indent: string) => {
    const states = journey.states.filter((s) => s.parentId === parentId);
    for (const state of states) declare(state, indent);
    if (parentId === undefined) {
      for (const s of states) if (s.kind === 'initial') lines.push(`${indent}[*] --> ${s.id}`);
    }
    for (const t of journey.transitions) {
      if (scopeOf(t, parentOf) !== parentId) continue;
      lines.push(t.implicit ? `${indent}[*] --> ${t.to} : ${escape(t.condition)}` : `${indent}${arrow(t)}`);
    }
    for (const s of states) if (ends(s, parentId, journey.transitions)) lines.push(`${indent}${s.id} --> [*]`);
  };
  const declare = (state: JourneyState, indent: string) => {
    lines.push(`${indent}state "${escape(state.label)}" as ${state.id}`);
    lines.push(`${indent}${state.id} : ${escape(state.description)}`);
    if (journey.states.some((s) => s.parentId === state.id)) {
      lines.push(`${indent}state ${state.id} {`);
      block(state.id, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  block(undefined, '  ');
  return `${lines.join('\n')}\n`;
}

/** The container a transition is drawn in; an implicit entry belongs inside its container. */
function scopeOf(t: JourneyTransition, parentOf: Map<string, string | undefined>): string | undefined {
  if (t.implicit) return t.from;
  const from = parentOf.get(t.from);
  return from === parentOf.get(t.to) ? from : undefined;
}

/** Top-level final or terminal states end the journey; inside a container, a child with no way out ends an iteration. */
function ends(state: JourneyState, parentId: string | undefined, transitions: JourneyTransition[]): boolean {
  if (parentId === undefined) return state.kind === 'final' || state.terminal;
  return !transitions.some((t) => t.from === state.id);
}
