import { useId, useMemo, useState } from 'react';
import { bestBias, biasedAccuracy } from '../../core/analysis/bias';
import { formatPercent } from '../../state/format';
import { useStudio } from '../../state/store';

/**
 * Hinton et al.'s "no 3s": the student never saw the omitted class, so its logit for it comes out
 * too low. Raising that logit by a constant brings much of the class back; the slider shows how much.
 */
export function OmittedClassView() {
  const results = useStudio((s) => s.results);
  const classNames = useStudio((s) => s.dataset?.classNames);
  const [bias, setBias] = useState(0);
  const id = useId();
  const classIndex = results?.config.transfer.omitClass ?? null;
  const outputs = results?.testOutputs;
  const scores = useMemo(() => {
    if (classIndex === null || !outputs) return null;
    const at = (b: number) => biasedAccuracy(outputs.distilled, outputs.labels, outputs.numClasses, classIndex, b);
    return { none: at(0), now: at(bias), best: bestBias(outputs.distilled, outputs.labels, outputs.numClasses, classIndex) };
  }, [outputs, classIndex, bias]);
  if (classIndex === null || !scores) return null;
  const name = classNames?.[classIndex] ?? String(classIndex);
  return (
    <section className="results omitted" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Omitted class "{name}": bias correction</h2>
      <p>
        The distilled student never saw a "{name}" in its transfer set; from the teacher's soft targets alone it recognises{' '}
        <strong>{formatPercent(scores.none.onClass)}</strong> of the test set's "{name}"s ({formatPercent(scores.none.overall)} overall).
      </p>
      <div className="field">
        <label htmlFor={id}>Bias added to the "{name}" logit</label>
        <input
          id={id}
          type="range"
          min={-5}
          max={15}
          step={0.1}
          value={bias}
          onChange={(e) => setBias(Number(e.target.value))}
          aria-describedby={`${id}-out`}
        />
        <output id={`${id}-out`} htmlFor={id} aria-live="polite">
          Bias {bias.toFixed(1)}: "{name}" {formatPercent(scores.now.onClass)}, overall {formatPercent(scores.now.overall)}
        </output>
      </div>
      <p>
        Best overall on the test set (as Hinton et al. chose theirs): bias {scores.best.bias.toFixed(1)}, "{name}"{' '}
        {formatPercent(scores.best.onClass)}, overall {formatPercent(scores.best.overall)}.{' '}
        <button type="button" onClick={() => setBias(scores.best.bias)}>
          Use bias {scores.best.bias.toFixed(1)}
        </button>
      </p>
    </section>
  );
}
