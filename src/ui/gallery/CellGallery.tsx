import { useEffect, useId, useMemo, useRef } from 'react';
import { cellExamples } from '../../core/analysis/cell-examples';
import { type Analysis, MODELS } from '../../state/analysis';
import { closeCell, showMoreOfCell, useGallery } from '../../state/gallery-store';
import type { TestOutputs } from '../../worker/protocol';
import { ThumbnailGrid } from './ThumbnailGrid';

/** The test examples of the confusion-matrix cell the reader clicked, below the matrices. */
export function CellGallery({
  outputs,
  analysis,
  classNames,
}: {
  outputs: TestOutputs;
  analysis: Analysis;
  classNames: readonly string[];
}) {
  const cell = useGallery((s) => s.cell);
  const shown = useGallery((s) => s.cellShown);
  const id = useId();
  const section = useRef<HTMLElement>(null);
  const rows = useMemo(
    () =>
      cell ? cellExamples(outputs.labels, analysis.models[cell.model].predictions, cell.trueClass, cell.predicted, outputs.numClasses) : [],
    [cell, outputs, analysis],
  );
  // Into view when a cell opens, without moving focus from the matrix, where the arrow keys go on to the next cell.
  useEffect(() => {
    if (cell) section.current?.scrollIntoView({ block: 'nearest' });
  }, [cell]);
  if (!cell) return null;
  const model = MODELS.find((m) => m.key === cell.model)?.name.toLowerCase() ?? cell.model;
  const truth = classNames[cell.trueClass];
  const predicted = classNames[cell.predicted];
  const items = rows.slice(0, shown).map((index) => ({
    index,
    caption: `#${index + 1}`,
    details: `test example ${index + 1}, true ${truth}, ${model} predicted ${predicted}`,
  }));
  return (
    <section ref={section} className="gallery" aria-labelledby={id}>
      <div className="gallery-head">
        <h4 id={id}>
          Examples: true {truth}, predicted {predicted}
        </h4>
        <button type="button" className="link-button" onClick={closeCell}>
          Close the examples
        </button>
      </div>
      <p className="view-note">
        {rows.length === 1 ? 'The one test example' : `The ${rows.length.toLocaleString('en-US')} test examples`} of class {truth} that the{' '}
        {model} predicts as {predicted}. Click one to open it in the explorer.
      </p>
      <ThumbnailGrid items={items} total={rows.length} onMore={showMoreOfCell} />
    </section>
  );
}
