import { useEffect, useId, useMemo, useState } from 'react';
import { entropyBits, softmaxRows } from '../../core/analysis/calibration';
import { argmaxRows } from '../../core/analysis/confusion';
import { nextMistake, rowOf } from '../../core/analysis/explorer';
import { classNamesFor, MODELS } from '../../state/analysis';
import {
  ensureExample,
  EXPLORER_T_MAX,
  EXPLORER_T_MIN,
  setExplorerTemperature,
  showExample,
  useExplorer,
} from '../../state/explorer-store';
import { formatWeight } from '../../state/loss-formula';
import { useStudio } from '../../state/store';
import { ProbabilityBars } from '../analysis/ProbabilityBars';
import { COLORS } from '../charts/chart-style';
import { ExampleFeatures, ExampleImage } from './ExampleDisplay';
import { MemberSoftTargets } from './MemberSoftTargets';
import './views.css';

const bits = (p: ArrayLike<number>) => `${entropyBits(p).toFixed(2)} bits`;

/**
 * One test example through the eyes of the teacher and both students. The temperature slider
 * re-softmaxes the logits sent at the end of the run right here, so it follows the hand without a
 * trip to the worker; only the example's features are fetched from there.
 */
export default function ExplorerView() {
  const outputs = useStudio((s) => s.results?.testOutputs);
  const runT = useStudio((s) => s.results?.config.loss.temperature ?? 1);
  const dataset = useStudio((s) => s.dataset);
  const { index, temperature, example, error } = useExplorer();
  const [note, setNote] = useState<string | null>(null);
  // What is typed into the number field, until it is a valid example number (then the index speaks).
  const [draft, setDraft] = useState<{ index: number; text: string } | null>(null);
  const id = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new data set or run makes the example stale, though the effect reads neither
  useEffect(() => ensureExample(), [dataset, outputs]);
  const distilledPredictions = useMemo(() => (outputs ? argmaxRows(outputs.distilled, outputs.numClasses) : null), [outputs]);
  const n = outputs?.labels.length ?? 0;
  const i = Math.min(index, Math.max(0, n - 1));
  const probabilities = useMemo(
    () =>
      outputs && n > 0
        ? MODELS.map((m) => softmaxRows(rowOf(outputs[m.key], outputs.numClasses, i), outputs.numClasses, temperature))
        : null,
    [outputs, n, i, temperature],
  );
  if (!outputs || !distilledPredictions || !probabilities) return null;

  const classNames = classNamesFor(dataset?.classNames, outputs.numClasses);
  const label = outputs.labels[i];
  const noun = dataset?.family === 'mnist' ? 'digit' : 'class';
  const description = `Test example ${i + 1}: ${noun} ${classNames[label]}`;
  const predicted = MODELS.map((m, j) => {
    const p = argmaxRows(probabilities[j], outputs.numClasses)[0];
    return `${m.name.toLowerCase()} ${classNames[p]} (${p === label ? 'right' : 'wrong'})`;
  });
  const t = formatWeight(temperature);
  const go = (to: number) => {
    setNote(null);
    showExample(to);
  };
  const showMistake = () => {
    const next = nextMistake(distilledPredictions, outputs.labels, i);
    if (next === null) setNote('The distilled student gets every test example right.');
    else go(next);
  };
  const ready = example?.index === i ? example : null;
  const shape = dataset?.imageShape;
  const isImage = ready && shape && shape[0] * shape[1] * shape[2] === ready.features.length;

  return (
    <section className="view explorer" aria-labelledby={id}>
      <h2 id={id}>Dark-knowledge explorer</h2>
      <p className="view-note">
        Pick a test example and soften every model's output with the temperature: at T = 1 the models look sure, and as T grows the
        teacher's probabilities for the wrong classes come into view. Those are the soft targets the distilled student learned from (this
        run used T = {formatWeight(runT)}).
      </p>
      <div className="explorer-controls">
        <div className="field">
          <label htmlFor={`${id}-n`}>Test example</label>
          <input
            id={`${id}-n`}
            type="number"
            min={1}
            max={n}
            step={1}
            value={draft?.index === i ? draft.text : String(i + 1)}
            aria-describedby={`${id}-count`}
            onChange={(e) => {
              setDraft({ index: i, text: e.target.value });
              const v = Number(e.target.value);
              if (Number.isInteger(v) && v >= 1 && v <= n) go(v - 1);
            }}
          />
          <small id={`${id}-count`} className="field-help">
            1 to {n.toLocaleString('en-US')}
          </small>
        </div>
        <div className="button-row">
          <button type="button" disabled={i === 0} onClick={() => go(i - 1)}>
            Previous
          </button>
          <button type="button" disabled={i >= n - 1} onClick={() => go(i + 1)}>
            Next
          </button>
          <button type="button" onClick={() => go(Math.floor(Math.random() * n))}>
            Random
          </button>
          <button type="button" onClick={showMistake}>
            Show a mistake
          </button>
        </div>
        <div className="field temperature-field">
          <label htmlFor={`${id}-t`}>Explorer temperature</label>
          <input
            id={`${id}-t`}
            type="range"
            min={EXPLORER_T_MIN}
            max={EXPLORER_T_MAX}
            step={0.1}
            value={temperature}
            aria-valuetext={`T = ${t}`}
            onChange={(e) => setExplorerTemperature(Number(e.target.value))}
          />
          <small className="field-help">
            T = {t}{' '}
            {temperature !== runT && (
              <button type="button" className="link-button" onClick={() => setExplorerTemperature(runT)}>
                Back to the run's T = {formatWeight(runT)}
              </button>
            )}
          </small>
        </div>
      </div>
      <p aria-live="polite">
        {description}. Predicted: {predicted.join(', ')}.{note && ` ${note}`}
      </p>
      <p className="entropy" aria-live="polite">
        Teacher entropy at T = {t}: {bits(probabilities[0])}; distilled student: {bits(probabilities[1])}; scratch student:{' '}
        {bits(probabilities[2])} (at most {Math.log2(outputs.numClasses).toFixed(2)} bits, when every class is equally likely).
      </p>
      <div className="explorer-body">
        <div>
          {error && <p className="message error">{error}</p>}
          {!ready && !error && <p className="view-note">Loading test example {i + 1}…</p>}
          {ready && isImage && shape && <ExampleImage example={ready} shape={shape} description={description} />}
          {ready && !isImage && <ExampleFeatures example={ready} caption={`${description}: feature values`} />}
        </div>
        <ProbabilityBars
          title={`Test example ${i + 1} at T = ${t}`}
          classNames={classNames}
          label={label}
          models={MODELS.map((m, j) => ({ name: m.name, probabilities: probabilities[j], color: COLORS[m.key] }))}
        />
      </div>
      {outputs.members && outputs.members.length > 0 && (
        <MemberSoftTargets
          title={`Soft targets of the ensemble and its members, test example ${i + 1} at T = ${t}`}
          classNames={classNames}
          label={label}
          ensemble={probabilities[0]}
          members={outputs.members}
          numClasses={outputs.numClasses}
          index={i}
          temperature={temperature}
        />
      )}
    </section>
  );
}
