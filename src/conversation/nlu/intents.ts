// Intent ids (docs/architecture.md, "Conversations"), and how a clarifying question names each one.

export const INTENTS = [
  'start',
  'pause',
  'resume',
  'cancel',
  'status',
  'progress',
  'explain-step',
  'skip-step',
  'retry-step',
  'provide-input',
  'approve',
  'reject',
  'list-workflows',
  'describe-workflow',
  'switch-mode',
  'help',
  'add-block',
  'remove-block',
  'connect-blocks',
  'disconnect-blocks',
  'rename-block',
  'configure-block',
  'move-block',
  'ask-knowledge',
] as const;

export type Intent = (typeof INTENTS)[number];
export type IntentOrUnknown = Intent | 'unknown';

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

/** Verb phrases that complete "Do you want to …?". */
export const INTENT_PHRASES: Record<Intent, string> = {
  start: 'start a workflow',
  pause: 'pause the execution',
  resume: 'resume the execution',
  cancel: 'cancel the execution',
  status: 'see the status of the execution',
  progress: 'see how far the execution has got',
  'explain-step': 'have a step explained',
  'skip-step': 'skip a step',
  'retry-step': 'retry a step',
  'provide-input': 'provide an input value',
  approve: 'approve the request',
  reject: 'reject the request',
  'list-workflows': 'list the workflows',
  'describe-workflow': 'have a workflow described',
  'switch-mode': 'switch mode',
  help: 'get help',
  'add-block': 'add a block',
  'remove-block': 'remove a block',
  'connect-blocks': 'connect two blocks',
  'disconnect-blocks': 'disconnect two blocks',
  'rename-block': 'rename a block',
  'configure-block': 'change a block setting',
  'move-block': 'move a block',
  'ask-knowledge': 'look something up in the knowledge base',
};
