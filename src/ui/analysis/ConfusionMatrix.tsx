import type { CSSProperties } from 'react';
import './analysis.css';

export interface ConfusionMatrixProps {
  /** E.g. "Confusion matrix: distilled student". */
  caption: string;
  /** Rows are the true class, columns the predicted class. */
  matrix: readonly (readonly number[])[];
  /** One name per class; missing names fall back to the class index. */
  classNames?: readonly string[];
  /** For a difference matrix: blue for positive, red for negative, shade by magnitude. */
  diverging?: boolean;
  format?: (value: number) => string;
}

// Opacity stops at 0.6 so that the theme's own text colour stays readable (contrast ≥ 4.5:1) in light and dark mode.
const MAX_ALPHA = 0.6;
const SEQUENTIAL = '91, 63, 214';
const POSITIVE = '25, 113, 194';
const NEGATIVE = '201, 42, 42';

function cellStyle(value: number, scale: number, diverging: boolean): CSSProperties {
  const alpha = scale > 0 && Number.isFinite(value) ? (Math.min(1, Math.abs(value) / scale) * MAX_ALPHA).toFixed(3) : '0';
  const rgb = !diverging ? SEQUENTIAL : value < 0 ? NEGATIVE : POSITIVE;
  return { backgroundColor: `rgba(${rgb}, ${alpha})` };
}

function defaultFormat(diverging: boolean) {
  return (v: number) => {
    const text = Number.isInteger(v) ? String(v) : v.toFixed(2);
    // The sign carries the meaning as well as the colour does.
    return diverging && v > 0 ? `+${text}` : text;
  };
}

/** A confusion matrix as a table, cells shaded by count (or by signed difference in diverging mode). */
export function ConfusionMatrix({
  caption,
  matrix,
  classNames = [],
  diverging = false,
  format = defaultFormat(diverging),
}: ConfusionMatrixProps) {
  const names = matrix.map((_, i) => classNames[i] ?? String(i));
  const scale = Math.max(0, ...matrix.flat().filter(Number.isFinite).map(Math.abs));
  return (
    <div className="confusion-matrix">
      <table>
        <caption>
          {caption}
          {diverging && <span className="cm-note"> — blue: positive, red: negative</span>}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="cm-corner">
              True class<span aria-hidden="true"> \ predicted</span>
            </th>
            {names.map((name, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: column j is class j, fixed for the matrix's life
              <th key={j} scope="col">
                <span className="visually-hidden">Predicted </span>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: row i is class i, fixed for the matrix's life
            <tr key={i}>
              <th scope="row">
                <span className="visually-hidden">True </span>
                {names[i]}
              </th>
              {row.map((v, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cell j is predicted class j
                <td key={j} className={i === j ? 'diagonal' : undefined} style={cellStyle(v, scale, diverging)}>
                  {format(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
