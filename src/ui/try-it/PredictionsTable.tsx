import { softmaxRows } from '../../core/analysis/calibration';
import { MODELS, type ModelKey } from '../../state/analysis';
import { formatWeight } from '../../state/loss-formula';
import type { TryItLogits } from '../../worker/protocol';
import { percent1 } from '../analysis/format';
import { COLORS } from '../charts/chart-style';
import { MiniBars } from './MiniBars';

export interface PredictionsTableProps {
  classNames: readonly string[];
  logits: TryItLogits | null;
  temperature: number;
  /** Why a model has no answer, for the models that have none. */
  missing: Record<ModelKey, string>;
  /** The input's true class, when it is a test example. */
  label?: number;
}

/** Top class, confidence and every class's probability, for the teacher and both students side by side. */
export function PredictionsTable({ classNames, logits, temperature, missing, label }: PredictionsTableProps) {
  const t = formatWeight(temperature);
  return (
    <table className="try-it-table" aria-label="Try it predictions">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Top class</th>
          <th scope="col">Confidence</th>
          <th scope="col">Probabilities at T = {t}</th>
        </tr>
      </thead>
      <tbody>
        {MODELS.map(({ key, name }) => {
          const row = logits?.[key];
          if (!row || row.length !== classNames.length) {
            return (
              <tr key={key} data-model={key}>
                <th scope="row">{name}</th>
                <td>—</td>
                <td>—</td>
                <td className="try-it-missing">{missing[key]}</td>
              </tr>
            );
          }
          const p = softmaxRows(row, classNames.length, temperature);
          let top = 0;
          for (let c = 1; c < p.length; c++) if (p[c] > p[top]) top = c;
          const verdict = label === undefined ? '' : top === label ? ' (right)' : ' (wrong)';
          return (
            <tr key={key} data-model={key}>
              <th scope="row">{name}</th>
              <td className="try-it-top" data-class={top}>
                {classNames[top]}
                {verdict && <span className="try-it-verdict">{verdict}</span>}
              </td>
              <td>{percent1(p[top])}</td>
              <td>
                <MiniBars
                  probabilities={p}
                  classNames={classNames}
                  top={top}
                  color={COLORS[key]}
                  label={`${name}: class probabilities at T = ${t}`}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
