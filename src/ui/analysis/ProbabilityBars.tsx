import { SavePngButton } from '../charts/SavePngButton';
import { useId } from 'react';
import { entropyBits } from '../../core/analysis/calibration';
import { ClassBars } from './ClassBars';
import { percent1 } from './format';
import { TextTable } from './TextTable';
import './analysis.css';

export interface ProbabilitySeries {
  /** E.g. "Teacher (T = 4)". */
  name: string;
  /** One probability per class for this example, e.g. a row of softmaxRows. */
  probabilities: ArrayLike<number>;
  color?: string;
}

export interface ProbabilityBarsProps {
  /** E.g. "Test example 12". */
  title: string;
  classNames: readonly string[];
  /** Teacher first, then the students. */
  models: readonly ProbabilitySeries[];
  /** The example's true class index, named in the caption. */
  label?: number;
}

const bits = (p: ArrayLike<number>) => `${entropyBits(p).toFixed(2)} bits`;

/** What each model believes about one example: grouped bars per class, and how spread out each belief is (entropy). */
export function ProbabilityBars({ title, classNames, models, label }: ProbabilityBarsProps) {
  const id = useId();
  const entropies = models.map((m) => `${m.name} ${bits(m.probabilities)}`).join(', ');
  const trueClass = label != null ? `true class ${classNames[label] ?? label}; ` : '';
  return (
    <figure className="chart analysis-chart" aria-labelledby={id}>
      <figcaption id={id}>
        {title}
        <span className="chart-summary">
          {' '}
          — {trueClass}entropy {entropies} (at most {Math.log2(classNames.length).toFixed(2)} bits)
        </span>
      </figcaption>
      <ClassBars
        ariaLabel={`Bar chart: class probabilities, ${title}`}
        classNames={classNames}
        series={models.map((m) => ({ name: m.name, color: m.color, value: (i) => m.probabilities[i] }))}
      />
      <SavePngButton title={title} />
      <TextTable
        caption={`${title}: class probabilities`}
        columns={['Class', ...models.map((m) => m.name)]}
        rows={[
          ...classNames.map((name, i) => [i === label ? `${name} (true class)` : name, ...models.map((m) => percent1(m.probabilities[i]))]),
          ['Entropy', ...models.map((m) => bits(m.probabilities))],
        ]}
      />
    </figure>
  );
}
