import { entropyBits, softmaxRows } from '../../core/analysis/calibration';
import { rowOf } from '../../core/analysis/explorer';
import { percent1 } from '../analysis/format';

/**
 * An ensemble teacher's soft targets for one example beside each member's, at the explorer's temperature: where the
 * members disagree, the ensemble's targets carry the doubt that a student learns from.
 */
export function MemberSoftTargets({
  title,
  classNames,
  label,
  ensemble,
  members,
  numClasses,
  index,
  temperature,
}: {
  title: string;
  classNames: readonly string[];
  label: number;
  /** The ensemble's (the teacher's) probabilities for the example. */
  ensemble: ArrayLike<number>;
  /** Each member's test logits, laid out as the teacher's. */
  members: readonly Float32Array[];
  numClasses: number;
  index: number;
  temperature: number;
}) {
  const rows = [
    { name: 'Ensemble (the teacher)', p: ensemble },
    ...members.map((logits, m) => ({ name: `Member ${m + 1}`, p: softmaxRows(rowOf(logits, numClasses, index), numClasses, temperature) })),
  ];
  return (
    // biome-ignore lint/a11y/useSemanticElements lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard (axe: scrollable-region-focusable)
    <div className="member-soft-targets" role="region" aria-label={title} tabIndex={0}>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {classNames.map((c, k) => (
              <th key={c} scope="col">
                {k === label ? `${c} (true class)` : c}
              </th>
            ))}
            <th scope="col">Entropy</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, p }) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              {classNames.map((c, k) => (
                <td key={c}>{percent1(p[k])}</td>
              ))}
              <td>{entropyBits(p).toFixed(2)} bits</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
