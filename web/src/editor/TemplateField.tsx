import { useId, useRef, useState } from 'react';
import { applyCompletion, completeTemplate, type Completion, type CompletionContext } from './template-complete.ts';

interface TemplateFieldProps {
  id: string;
  value: string;
  multiline?: boolean;
  monospace?: boolean;
  context: CompletionContext;
  onChange: (value: string) => void;
  invalid?: boolean;
  maxLength?: number;
}

/** A text field that suggests `input.…` and `steps.….output` inside `{{ }}`; ↑/↓ to choose, Enter or Tab to take. */
export function TemplateField({
  id,
  value,
  multiline,
  monospace,
  context,
  onChange,
  invalid,
  maxLength = 100_000,
}: TemplateFieldProps) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();

  const refresh = (text: string, cursor: number) => {
    setCompletion(completeTemplate(text, cursor, context));
    setActive(0);
  };
  const pick = (option: string) => {
    if (!completion) return;
    const next = applyCompletion(value, completion, option);
    onChange(next.text);
    setCompletion(null);
    requestAnimationFrame(() => ref.current?.setSelectionRange(next.cursor, next.cursor));
  };
  const props = {
    id,
    ref,
    value,
    maxLength,
    className: `${monospace ? 'mono' : ''}${invalid ? ' invalid' : ''}`,
    'aria-invalid': invalid || undefined,
    'aria-autocomplete': 'list' as const,
    'aria-controls': completion ? listId : undefined,
    spellCheck: false,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      onChange(e.target.value);
      refresh(e.target.value, e.target.selectionStart ?? e.target.value.length);
    },
    onBlur: () => setTimeout(() => setCompletion(null), 150),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (!completion) return;
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setActive((a) => (a + 1) % completion.options.length);
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a - 1 + completion.options.length) % completion.options.length);
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(completion.options[active]!);
      } else if (e.key === 'Escape') setCompletion(null);
    },
  };
  return (
    <div className="template-field">
      {multiline ? <textarea rows={monospace ? 8 : 3} {...props} /> : <input {...props} />}
      {completion && (
        <ul className="completions" id={listId} role="listbox">
          {completion.options.map((option, i) => (
            <li
              key={option}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(option);
              }}
            >
              {option}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
