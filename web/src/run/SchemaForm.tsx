import { useState } from 'react';
import type { InputSchema } from '../../../src/model/input-schema.ts';
import { formToValues, initialValues, type RawValues } from './schema-form.ts';

interface SchemaFormProps {
  schema: InputSchema | undefined;
  submitLabel: string;
  busy?: boolean;
  idPrefix: string;
  onSubmit: (values: Record<string, unknown>) => void;
}

/** A form generated from an input schema (workflow inputs, or an `input` step's questions). */
export function SchemaForm({ schema, submitLabel, busy, idPrefix, onSubmit }: SchemaFormProps) {
  const [raw, setRaw] = useState<RawValues>(() => initialValues(schema));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const required = new Set(schema?.required ?? []);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const result = formToValues(schema, raw);
    setErrors(result.errors);
    if (Object.keys(result.errors).length === 0) onSubmit(result.values);
  };
  return (
    <form className="schema-form" onSubmit={submit}>
      {Object.entries(schema?.properties ?? {}).map(([name, field]) => {
        const id = `${idPrefix}-${name}`;
        const options = field.type !== 'array' ? field.enum : undefined;
        const value = raw[name];
        return (
          <div className="field" key={name}>
            <label htmlFor={id}>
              {field.title ?? name}
              {required.has(name) && (
                <span className="required" aria-label="required">
                  *
                </span>
              )}
            </label>
            {field.type === 'boolean' ? (
              <input
                id={id}
                type="checkbox"
                checked={value === true}
                onChange={(e) => setRaw({ ...raw, [name]: e.target.checked })}
              />
            ) : options ? (
              <select id={id} value={String(value ?? '')} onChange={(e) => setRaw({ ...raw, [name]: e.target.value })}>
                <option value="">choose…</option>
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {String(o)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={field.type === 'number' || field.type === 'integer' ? 'number' : 'text'}
                value={String(value ?? '')}
                maxLength={10_000}
                placeholder={field.type === 'array' ? 'comma, separated, values' : ''}
                className={errors[name] ? 'invalid' : ''}
                onChange={(e) => setRaw({ ...raw, [name]: e.target.value })}
              />
            )}
            {field.description && <div className="hint">{field.description}</div>}
            {errors[name] && <div className="field-problems">{errors[name]}</div>}
          </div>
        );
      })}
      <button className="primary" type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
