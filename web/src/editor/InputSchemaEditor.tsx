import { useEffect, useState } from 'react';
import type { InputSchema } from '../../../src/model/input-schema.ts';
import { MAX_INPUT_ROWS, rowsToSchema, schemaToRows, type InputRow } from './input-schema-rows.ts';

const TYPES: InputRow['type'][] = ['string', 'number', 'integer', 'boolean', 'array'];

/** The workflow's inputs as rows of a form: name, type, description, required, allowed values. */
export function InputSchemaEditor({
  schema,
  onChange,
}: {
  schema: InputSchema | undefined;
  onChange: (schema: InputSchema | undefined) => void;
}) {
  // Rows are local so a row whose name is being retyped (empty for a moment) does not vanish.
  const [rows, setRows] = useState(() => schemaToRows(schema));
  useEffect(() => {
    if (JSON.stringify(rowsToSchema(rows, schema)) !== JSON.stringify(schema)) setRows(schemaToRows(schema));
    // Only an outside change of the schema (undo, chat, import) resets the rows.
  }, [schema]);
  const set = (next: InputRow[]) => {
    setRows(next);
    onChange(rowsToSchema(next, schema));
  };
  const edit = (index: number, patch: Partial<InputRow>) =>
    set(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <fieldset className="inputs-editor">
      <legend>Inputs</legend>
      {rows.length === 0 && <p className="muted">No inputs: runs start without a form.</p>}
      {rows.map((row, i) => (
        <div className="input-row" key={i}>
          <input
            aria-label="Field name"
            placeholder="name"
            value={row.name}
            maxLength={64}
            onChange={(e) => edit(i, { name: e.target.value.replace(/[^A-Za-z0-9_]/g, '') })}
          />
          <select
            aria-label={`Type of ${row.name}`}
            value={row.type}
            onChange={(e) => edit(i, { type: e.target.value as InputRow['type'] })}
          >
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <label className="check">
            <input type="checkbox" checked={row.required} onChange={(e) => edit(i, { required: e.target.checked })} />{' '}
            required
          </label>
          <button
            type="button"
            className="icon"
            aria-label={`Remove input ${row.name}`}
            onClick={() => set(rows.filter((_, j) => j !== i))}
          >
            ✕
          </button>
          <input
            aria-label={`Description of ${row.name}`}
            className="wide"
            placeholder="description (asked in the chat)"
            value={row.description}
            maxLength={2000}
            onChange={(e) => edit(i, { description: e.target.value })}
          />
          {row.type !== 'boolean' && row.type !== 'array' && (
            <input
              aria-label={`Allowed values of ${row.name}`}
              className="wide"
              placeholder="allowed values, comma separated (optional)"
              value={row.options}
              onChange={(e) => edit(i, { options: e.target.value })}
            />
          )}
        </div>
      ))}
      <button
        type="button"
        disabled={rows.length >= MAX_INPUT_ROWS}
        onClick={() =>
          set([...rows, { name: nextName(rows), type: 'string', description: '', required: false, options: '' }])
        }
      >
        + Add input
      </button>
    </fieldset>
  );
}

function nextName(rows: InputRow[]): string {
  const taken = new Set(rows.map((r) => r.name));
  for (let n = 1; ; n++) if (!taken.has(`field${n}`)) return `field${n}`;
}
