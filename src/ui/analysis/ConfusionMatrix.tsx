import { type CSSProperties, type KeyboardEvent, useRef, useState } from 'react';
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
  /** Makes every cell a button that opens its examples; the matrix is one tab stop, the arrow keys move between cells. */
  cells?: CellButtons;
}

export interface CellButtons {
  /** Called for a cell with at least one example. */
  onSelect: (trueClass: number, predicted: number) => void;
  /** The button's accessible name, e.g. "Show the 12 examples of true 3 predicted 5 (distilled student)". */
  label: (trueClass: number, predicted: number, count: number) => string;
  /** The cell whose examples are shown (its button is pressed). */
  selected?: { trueClass: number; predicted: number } | null;
}

const ARROWS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

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
  cells,
}: ConfusionMatrixProps) {
  const names = matrix.map((_, i) => classNames[i] ?? String(i));
  const scale = Math.max(0, ...matrix.flat().filter(Number.isFinite).map(Math.abs));
  const table = useRef<HTMLTableElement>(null);
  // The one cell in the tab order (a roving tabindex): a 10-class matrix would otherwise be 100 tab stops.
  const [stop, setStop] = useState<[number, number]>([0, 0]);
  const [si, sj] = stop;
  const last = matrix.length - 1;
  const move = (e: KeyboardEvent, i: number, j: number) => {
    const arrow = ARROWS[e.key];
    const to: [number, number] | null = arrow
      ? [Math.min(last, Math.max(0, i + arrow[0])), Math.min(last, Math.max(0, j + arrow[1]))]
      : e.key === 'Home'
        ? [i, 0]
        : e.key === 'End'
          ? [i, last]
          : null;
    if (!to) return;
    e.preventDefault();
    setStop(to);
    table.current?.querySelector<HTMLButtonElement>(`button[data-cell="${to[0]}-${to[1]}"]`)?.focus();
  };
  const cell = (v: number, i: number, j: number) => {
    if (!cells) return format(v);
    const pressed = cells.selected?.trueClass === i && cells.selected.predicted === j;
    return (
      <button
        type="button"
        className="cm-cell"
        data-cell={`${i}-${j}`}
        tabIndex={i === si && j === sj ? 0 : -1}
        aria-label={cells.label(i, j, v)}
        aria-pressed={pressed}
        aria-disabled={v > 0 ? undefined : true}
        onClick={() => {
          setStop([i, j]);
          if (v > 0) cells.onSelect(i, j);
        }}
        onKeyDown={(e) => move(e, i, j)}
      >
        {format(v)}
      </button>
    );
  };
  const cellClass = (i: number, j: number) => [i === j && 'diagonal', cells && 'cm-button-cell'].filter(Boolean).join(' ') || undefined;
  return (
    <div className="confusion-matrix">
      <table ref={table}>
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
                <td key={j} className={cellClass(i, j)} style={cellStyle(v, scale, diverging)}>
                  {cell(v, i, j)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
