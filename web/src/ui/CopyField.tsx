import { useState } from 'react';

/** A read-only value (a link, a key) with a button that copies it; the text stays selectable when copying is refused. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }
  return (
    <div className="copy-field" data-testid={testId}>
      <input readOnly value={value} aria-label={label} onFocus={(e) => e.target.select()} />
      <button type="button" onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </button>
      {copied === 'no' && (
        <span className="hint" role="status">
          The browser refused to copy; select the text and copy it yourself.
        </span>
      )}
    </div>
  );
}
