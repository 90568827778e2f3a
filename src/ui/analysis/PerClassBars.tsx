import { SavePngButton } from '../charts/SavePngButton';
import { useId } from 'react';
import { ClassBars } from './ClassBars';
import { finiteOrNull, percent1 } from './format';
import { TextTable } from './TextTable';
import './analysis.css';

export interface PerClassSeries {
  /** E.g. "Distilled student". */
  name: string;
  /** One accuracy in [0, 1] per class; NaN for a class with no rows (as perClassAccuracy gives). */
  accuracy: readonly number[];
  color?: string;
}

export interface PerClassBarsProps {
  title: string;
  classNames: readonly string[];
  series: readonly PerClassSeries[];
}

/** Per-class accuracy of several models side by side, to show which classes distillation helps. */
export function PerClassBars({ title, classNames, series }: PerClassBarsProps) {
  const id = useId();
  return (
    <figure className="chart analysis-chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      <ClassBars
        ariaLabel={`Bar chart: ${title}`}
        classNames={classNames}
        series={series.map((s) => ({ name: s.name, color: s.color, value: (i) => finiteOrNull(s.accuracy[i]) }))}
      />
      <SavePngButton title={title} />
      <TextTable
        caption={title}
        columns={['Class', ...series.map((s) => s.name)]}
        rows={classNames.map((name, i) => [name, ...series.map((s) => percent1(s.accuracy[i]))])}
      />
    </figure>
  );
}
