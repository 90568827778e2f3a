import { useId, useState } from 'react';
import { unscaleFeatures } from '../../core/analysis/explorer';
import { scaleRow } from '../../state/try-it-input';
import { type TryItColumns, type TryItInput, tryInput } from '../../state/try-it-store';

// Four significant digits, as the explorer shows feature values.
const numberText = (v: number) => String(Number(v.toPrecision(4)));

/**
 * One row's feature values as the file had them, each in a number field: editing one gives the
 * models the edited row, scaled as the data set was. The fields follow every other input (a test
 * example, a point on the plane); while a person types, their text stays as typed.
 */
export function RowEditor({ input, columns, count }: { input: TryItInput | null; columns: TryItColumns | null; count: number }) {
  const id = useId();
  const values = input ? unscaleFeatures(input.features, columns?.scaling) : new Array<number>(count).fill(0);
  // What is typed, for the input it was typed over: any other input replaces it.
  const [draft, setDraft] = useState<{ input: TryItInput | null; texts: string[] } | null>(null);
  const texts = draft && draft.input === input ? draft.texts : values.map(numberText);

  const edit = (j: number, text: string) => {
    const next = texts.map((t, k) => (k === j ? text : t));
    const numbers = next.map(Number);
    if (next.some((t) => t.trim() === '') || !numbers.every(Number.isFinite)) {
      setDraft({ input, texts: next });
      return;
    }
    const row: TryItInput = { features: scaleRow(numbers, columns?.scaling), source: { kind: 'row' } };
    setDraft({ input: row, texts: next });
    tryInput(row);
  };
  return (
    <fieldset className="try-it-row">
      <legend>Feature values</legend>
      <div className="field-grid">
        {texts.map((text, j) => {
          const name = columns?.featureNames?.[j] ?? `Feature ${j + 1}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: field j is feature j
            <div className="field" key={j}>
              <label htmlFor={`${id}-${j}`}>{name}</label>
              <input
                id={`${id}-${j}`}
                type="number"
                step="any"
                value={text}
                aria-invalid={!Number.isFinite(Number(text)) || text.trim() === ''}
                onChange={(e) => edit(j, e.target.value)}
              />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
