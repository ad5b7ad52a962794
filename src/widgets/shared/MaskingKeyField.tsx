import { toHex } from "../../protocol/index.ts";

/** A fresh masking key as spaced hex, from the browser's CSPRNG (§5.3: keys MUST be unpredictable). */
function randomMaskingKey(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(4)), " ");
}

interface MaskingKeyFieldProps {
  id: string;
  label: string;
  /** The key as typed: the widget parses it, so it can explain a bad key instead of refusing keystrokes. */
  value: string;
  onChange: (maskingKey: string) => void;
  /** The "random key" button's text; without it there is no button. */
  randomLabel?: string;
  disabled?: boolean;
  testId?: string;
}

/** The 4-byte masking key typed as hex, optionally with a button that draws a random one. */
export function MaskingKeyField({ id, label, value, onChange, randomLabel, disabled = false, testId }: MaskingKeyFieldProps) {
  const input = (
    <input
      id={id}
      type="text"
      className="mono"
      size={14}
      value={value}
      disabled={disabled}
      spellCheck={false}
      onChange={(event) => onChange(event.target.value)}
      data-testid={testId}
    />
  );
  return (
    <div className="widget-field">
      <label htmlFor={id}>{label}</label>
      {randomLabel === undefined ? (
        input
      ) : (
        <div className="widget-buttons">
          {input}
          <button type="button" disabled={disabled} onClick={() => onChange(randomMaskingKey())}>
            {randomLabel}
          </button>
        </div>
      )}
    </div>
  );
}
