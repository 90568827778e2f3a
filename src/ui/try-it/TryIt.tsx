import { useEffect, useId, useState } from 'react';
import { classNamesFor, type ModelKey } from '../../state/analysis';
import { useExplorer } from '../../state/explorer-store';
import { formatWeight } from '../../state/loss-formula';
import { useStudio } from '../../state/store';
import { tryItMode } from '../../state/try-it-input';
import { ensureTryIt, type TryItSource, tryTestExample, useTryIt } from '../../state/try-it-store';
import { DrawingPad } from './DrawingPad';
import { ImageInput } from './ImageInput';
import { InputPreview } from './InputPreview';
import { PlanePicker } from './PlanePicker';
import { PredictionsTable } from './PredictionsTable';
import { RowEditor } from './RowEditor';
import './try-it.css';

function describeSource(source: TryItSource, classNames: readonly string[], features: Float32Array): string {
  switch (source.kind) {
    case 'example':
      return `test example ${source.index + 1} (true class ${classNames[source.label] ?? source.label})`;
    case 'drawing':
      return 'your drawing';
    case 'point':
      return `the point (${features[0].toFixed(2)}, ${features[1].toFixed(2)})`;
    case 'row':
      return 'your values';
    case 'image':
      return source.name;
  }
}

/** The keyboard's way in, for every kind of data: a test example by its number. */
function ExamplePicker({ count, current }: { count: number; current: number | null }) {
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  return (
    <div className="field try-it-example">
      <label htmlFor={id}>Test example</label>
      <input
        id={id}
        type="number"
        min={1}
        max={count}
        step={1}
        value={text ?? (current === null ? '' : String(current + 1))}
        aria-describedby={`${id}-count`}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (Number.isInteger(v) && v >= 1 && v <= count) tryTestExample(v - 1);
        }}
        onBlur={() => setText(null)}
      />
      <small id={`${id}-count`} className="field-help">
        1 to {count.toLocaleString('en-US')}
      </small>
    </div>
  );
}

/**
 * Try it: a person gives the models an input (a drawing, a picture, a point, a row of values, or a
 * test example) and sees the teacher's and both students' answers side by side. During a
 * distillation the students answer as they stand after each epoch.
 */
export function TryIt() {
  const dataset = useStudio((s) => s.dataset);
  const hasTeacher = useStudio((s) => s.teacher !== null);
  const run = useStudio((s) => s.run);
  const { input, columns, logits, answers, error, pending, examplePending } = useTryIt();
  const temperature = useExplorer((s) => s.temperature);
  const id = useId();
  useEffect(() => {
    if (dataset) ensureTryIt();
  }, [dataset]);
  if (!dataset) return null;

  const mode = tryItMode(dataset);
  const classNames = classNamesFor(dataset.classNames, dataset.numClasses);
  const noun = mode === 'draw' ? 'digit' : 'class';
  const training = run?.kind === 'distill';
  const student = training ? 'The distillation is under way: answers after its first epoch.' : 'No distilled student yet: press Distill.';
  const missing: Record<ModelKey, string> = {
    teacher: hasTeacher ? 'Waiting for the teacher’s answer.' : 'Train or load a teacher first.',
    distilled: student,
    scratch: training ? student : 'No scratch student yet: it is trained beside the distilled one.',
  };
  const source = input?.source;
  const label = source?.kind === 'example' ? source.label : undefined;
  const shape = dataset.imageShape;
  const point = mode === 'plane' && input ? ([input.features[0], input.features[1]] as [number, number]) : null;
  const what = input ? describeSource(input.source, classNames, input.features) : null;
  const status = examplePending !== null ? 'Fetching the test example…' : pending !== null ? 'Asking the models…' : null;

  return (
    <section className="view try-it" aria-labelledby={id}>
      <h2 id={id}>Try it</h2>
      <p className="view-note">
        {mode === 'draw' && 'Draw a digit, or pick a test example, and see what each model reads.'}
        {mode === 'image' && 'Give the models a picture, or pick a test example, and see what each one sees.'}
        {mode === 'plane' &&
          'Click a point on the plane, type its coordinates, or pick a test example, and see which class each model gives it.'}
        {mode === 'row' && 'Edit a row’s values, or pick a test example, and see which class each model gives it.'} Probabilities at the
        explorer’s temperature, T = {formatWeight(temperature)}.
      </p>
      <div className="try-it-body">
        <div className="try-it-input">
          {mode === 'draw' && <DrawingPad />}
          {mode === 'image' && shape && <ImageInput shape={shape} columns={columns} />}
          {mode === 'plane' && <PlanePicker point={point} />}
          {(mode === 'plane' || mode === 'row') && <RowEditor input={input} columns={columns} count={dataset.numFeatures} />}
          {input && shape && (
            <InputPreview features={input.features} shape={shape} description={`What the model sees: ${what}, ${shape[1]}×${shape[0]}`} />
          )}
          <ExamplePicker count={dataset.testCount} current={source?.kind === 'example' ? source.index : null} />
        </div>
        <div className="try-it-answers" data-answers={answers}>
          <p aria-live="polite" className="try-it-status">
            {what ? `The models’ answers for ${what}.` : `Draw a ${noun}, or pick a test example.`} {status}
          </p>
          {error && <p className="message error">{error}</p>}
          <PredictionsTable
            classNames={classNames}
            logits={input ? logits : null}
            temperature={temperature}
            missing={input ? missing : { teacher: '', distilled: '', scratch: '' }}
            label={label}
          />
        </div>
      </div>
    </section>
  );
}
