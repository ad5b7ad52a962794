interface CloseCodeFieldProps {
  id: string;
  label: string;
  /** The code as typed: kept as text so an empty field means "no code" (§7.1.5: reported as 1005). */
  value: string;
  onChange: (code: string) => void;
  testId?: string;
}

/** A close code typed as a number; the input's range is the 2-byte unsigned integer of §5.5.1. */
export function CloseCodeField({ id, label, value, onChange, testId }: CloseCodeFieldProps) {
  return (
    <div className="widget-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={0}
        max={65535}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
      />
    </div>
  );
}
