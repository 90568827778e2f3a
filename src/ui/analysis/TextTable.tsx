import './analysis.css';

export interface TextTableProps {
  caption: string;
  /** Column headers; the first names the row-header column. */
  columns: readonly string[];
  /** Each row: its header, then one cell per remaining column. */
  rows: readonly (readonly string[])[];
}

/** The numbers behind a chart for screen readers: SVG bars say nothing on their own. */
export function TextTable({ caption, columns, rows }: TextTableProps) {
  return (
    <table className="visually-hidden">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([header, ...cells], i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a static table: rows never move
          <tr key={i}>
            <th scope="row">{header}</th>
            {cells.map((c, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a static table: columns never move
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
