import { useEffect, useState } from 'react';
import type { WorkflowNode } from '../../../src/model/graph.ts';
import { configFields, formatFieldValue, parseFieldValue, type ConfigField } from './config-fields.ts';
import type { CompletionContext } from './template-complete.ts';
import { TemplateField } from './TemplateField.tsx';
import { KnowledgeBasePicker } from '../knowledge/KnowledgeBasePicker.tsx';

interface ConfigFormProps {
  block: WorkflowNode;
  fieldProblems: Record<string, string[]>;
  completion: CompletionContext;
  onChange: (key: string, value: unknown) => void;
}

/** The block's config as a form generated from its schema; problems appear under the field they concern. */
export function ConfigForm({ block, fieldProblems, completion, onChange }: ConfigFormProps) {
  const fields = configFields(block.type);
  const config = (block.config ?? {}) as Record<string, unknown>;
  if (fields.length === 0) return null;
  return (
    <fieldset className="config-form">
      <legend>Configuration</legend>
      {fields.map((field) => (
        <FieldRow
          key={`${block.id}:${field.key}`}
          field={field}
          value={config[field.key]}
          problems={fieldProblems[field.key] ?? []}
          completion={completion}
          onChange={(value) => onChange(field.key, value)}
          fieldId={`cfg-${block.id}-${field.key}`}
        />
      ))}
      {fieldProblems.config && (
        <ul className="field-problems">
          {fieldProblems.config.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

interface FieldRowProps {
  field: ConfigField;
  value: unknown;
  problems: string[];
  completion: CompletionContext;
  onChange: (value: unknown) => void;
  fieldId: string;
}

function FieldRow({ field, value, problems, completion, onChange, fieldId }: FieldRowProps) {
  // The text is local so half-typed JSON or numbers can stay on screen while they are not valid yet.
  const [text, setText] = useState(() => formatFieldValue(field, value));
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => {
    const shown = parseFieldValue(field, text);
    if ('value' in shown && JSON.stringify(shown.value) === JSON.stringify(value)) return;
    setText(formatFieldValue(field, value));
    setParseError(null);
    // Only an outside change (undo, chat edit) should overwrite what is being typed.
  }, [value]);

  const update = (next: string) => {
    setText(next);
    const parsed = parseFieldValue(field, next);
    if ('error' in parsed) return setParseError(parsed.error);
    setParseError(null);
    onChange(parsed.value);
  };
  const messages = [...(parseError ? [parseError] : []), ...problems];
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {field.label}
        {field.required && (
          <span className="required" aria-label="required">
            *
          </span>
        )}
      </label>
      {field.kind === 'select' ? (
        <select id={fieldId} value={text} onChange={(e) => update(e.target.value)}>
          <option value="">(default)</option>
          {field.options!.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : field.kind === 'knowledge-base' ? (
        <KnowledgeBasePicker id={fieldId} value={text} required={field.required} onChange={update} />
      ) : field.kind === 'boolean' ? (
        <input
          id={fieldId}
          type="checkbox"
          checked={text === 'true'}
          onChange={(e) => update(String(e.target.checked))}
        />
      ) : field.kind === 'number' ? (
        <input
          id={fieldId}
          type="number"
          value={text}
          className={messages.length ? 'invalid' : ''}
          onChange={(e) => update(e.target.value)}
        />
      ) : field.kind === 'json' ? (
        <textarea
          id={fieldId}
          className={`mono${messages.length ? ' invalid' : ''}`}
          rows={4}
          value={text}
          maxLength={100_000}
          spellCheck={false}
          onChange={(e) => update(e.target.value)}
        />
      ) : (
        <TemplateField
          id={fieldId}
          value={text}
          multiline={field.multiline}
          monospace={field.kind !== 'template'}
          context={completion}
          invalid={messages.length > 0}
          onChange={update}
        />
      )}
      {field.hint && <div className="hint">{field.hint}</div>}
      {messages.length > 0 && (
        <ul className="field-problems" data-testid={`problems-${field.key}`}>
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
