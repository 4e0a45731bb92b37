import type { Command } from '../model/commands.ts';
import type { WaitingInfo } from '../model/execution.ts';
import type { ExecutionView } from '../model/views.ts';
import type { WorkflowGraph } from '../model/graph.ts';
import type { InputField } from '../model/input-schema.ts';
import type { Journey } from '../journey/types.ts';

/** Phrases people can type for each command, shown by "what can I do?". Pure. */
const COMMAND_PHRASES: Record<Command, string> = {
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  retry: 'retry the failed step',
  skip: 'skip this step',
  input: 'answer the question',
  approve: 'approve',
  reject: 'reject',
};

export function commandPhrases(commands: Command[]): string[] {
  return commands.map((c) => COMMAND_PHRASES[c]);
}

export function askField(name: string, field: InputField): string {
  const what = field.description ?? field.title ?? name;
  const options = field.type !== 'array' && field.enum ? ` (${field.enum.join(', ')})` : '';
  return `What is the ${what.charAt(0).toLowerCase()}${what.slice(1)}${options}?`;
}

export function stepName(graph: WorkflowGraph | null, nodeId: string): string {
  return graph?.nodes.find((n) => n.id === nodeId)?.name ?? nodeId;
}

const READABLE = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** An ISO time as a person reads it ("Dec 8, 2026, 2:05 PM UTC"); anything else as it came. Pure. */
function readableTime(iso: string): string {
  const date = new Date(iso);
  // Some ICU versions put a narrow no-break space before AM/PM; plain spaces read the same everywhere.
  return Number.isNaN(date.getTime()) ? iso : `${READABLE.format(date).replace(/\s/g, ' ')} UTC`;
}

/** The question a waiting execution puts to the person. */
export function waitingQuestion(waiting: WaitingInfo, graph: WorkflowGraph | null): string {
  const step = stepName(graph, waiting.nodeId);
  switch (waiting.reason) {
    case 'approval':
      return `"${step}" needs your approval: ${waiting.prompt ?? 'approve?'} (yes / no)`;
    case 'input': {
      const fields = Object.entries(
        (waiting.schema as { properties?: Record<string, InputField> } | undefined)?.properties ?? {},
      );
      const list = fields.map(([name, f]) => `${name}${f.description ? ` (${f.description})` : ''}`).join(', ');
      return `"${step}" asks: ${waiting.prompt ?? 'please provide values'}${list ? ` — answer with ${list}, e.g. ${fields[0]![0]}=…` : ''}`;
    }
    case 'time':
      return `"${step}" is waiting until ${waiting.until ? readableTime(waiting.until) : 'its time comes'}.`;
  }
}

/** A one-paragraph status of an execution. */
export function describeExecution(view: ExecutionView, graph: WorkflowGraph | null, workflowName: string): string {
  const done = view.steps.filter((s) => s.status === 'completed').map((s) => stepName(graph, s.nodeId));
  const base = `${workflowName} is ${view.status.replace('_', ' ')} (${view.progress}% done${done.length ? `; finished: ${done.join(', ')}` : ''}).`;
  if (view.status === 'waiting' && view.waiting)
    return `${base} ${waitingQuestion(view.waiting as WaitingInfo, graph)}`;
  if (view.status === 'completed') return `${base} Result: ${JSON.stringify(view.output)}`;
  if (view.status === 'failed' || view.status === 'timed_out')
    return `${base} ${(view.error as { message?: string } | null)?.message ?? ''}`.trim();
  const current = view.currentNodeIds.map((id) => stepName(graph, id));
  return current.length ? `${base} Now running: ${current.join(', ')}.` : base;
}

/** What a step does and where it leads, phrased from the workflow's journey. */
export function explainState(journey: Journey, nodeId: string): string | null {
  const state = journey.states.find((s) => s.nodeId === nodeId);
  if (!state) return null;
  const label = (id: string) => journey.states.find((s) => s.id === id)?.label ?? id;
  const next = journey.transitions
    .filter((t) => t.from === state.id && !t.implicit)
    // A plain edge reads "after <this step>", which says nothing here; a branch says when it is taken.
    .map((t) => (t.handle === null ? `"${label(t.to)}"` : `"${label(t.to)}" ${t.condition}`));
  const ending = next.length > 0 ? ` Next: ${next.join('; ')}.` : state.terminal ? ' The workflow ends there.' : '';
  return `"${state.label}" is a ${state.blockType} step: ${state.description}.${ending}`;
}

/** The main line of a workflow, step by step, as its journey tells it. */
export function journeyOutline(journey: Journey): string {
  return journey.states
    .filter((s) => s.kind !== 'initial' && s.parentId === undefined)
    .map((s) => `${s.label} (${s.description.charAt(0).toLowerCase()}${s.description.slice(1)})`)
    .join(' → ');
}
