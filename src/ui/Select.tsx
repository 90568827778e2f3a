import { useId } from 'react';

export interface Option<T extends string> {
  id: T;
  label: string;
  hint: string;
}

/** A labelled select with the chosen option's hint below it. */
export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  label: string;
  value: T;
  options: readonly Option<T>[];
  onChange: (v: T) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const chosen = options.find((o) => o.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const next = options.find((o) => o.id === e.target.value);
          if (next) onChange(next.id);
        }}
      >
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      <small id={`${id}-hint`} className="field-help">
        {chosen?.hint}
      </small>
    </div>
  );
}
