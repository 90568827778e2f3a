import { useEffect, useId, useState } from 'react';
import { SETTING_RULES, type NumericSetting } from '../state/config';
import { enterNumber } from '../state/settings-actions';
import { useStudio } from '../state/store';

/**
 * A labelled number input bound to one setting. It keeps what the person typed, even when it is not
 * valid yet, and says why next to the field; the last valid value stays in use meanwhile.
 */
export function NumberField({ setting, disabled }: { setting: NumericSetting; disabled?: boolean }) {
  const rule = SETTING_RULES[setting];
  const value = useStudio((s) => s.config[setting]);
  const error = useStudio((s) => s.invalid[setting]);
  const [text, setText] = useState(String(value));
  const id = useId();
  useEffect(() => {
    if (!error) setText((t) => (Number(t) === value ? t : String(value)));
  }, [value, error]);
  return (
    <div className="field">
      <label htmlFor={id}>{rule.label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={rule.min}
        max={rule.max}
        step={rule.integer ? 1 : 'any'}
        value={text}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        onChange={(e) => {
          setText(e.target.value);
          enterNumber(setting, e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'field-help'}>
        {error ?? rule.help}
      </small>
    </div>
  );
}
