import { useId, useMemo, type ReactNode } from 'react';
import { analyse, classNamesFor, MODELS, type ModelKey } from '../../state/analysis';
import { closeCell, openCell, useGallery } from '../../state/gallery-store';
import { useStudio } from '../../state/store';
import { ConfusionMatrix } from '../analysis/ConfusionMatrix';
import { percent1 } from '../analysis/format';
import { PerClassBars } from '../analysis/PerClassBars';
import { ReliabilityDiagram } from '../analysis/ReliabilityDiagram';
import { CHART_HEIGHT, COLORS } from '../charts/chart-style';
import { CellGallery } from '../gallery/CellGallery';
import { DisagreementGallery } from '../gallery/DisagreementGallery';
import { Staggered } from '../Staggered';
import './views.css';

/** Beyond this many classes a matrix no longer reads at a glance, so the matrices start folded. */
const FOLD_MATRICES_ABOVE = 20;

/** Where each model goes wrong, class by class, and whether its confidence can be trusted. Lazy: it draws with recharts. */
export default function AnalysisView() {
  const outputs = useStudio((s) => s.results?.testOutputs);
  const datasetNames = useStudio((s) => s.dataset?.classNames);
  const openedCell = useGallery((s) => s.cell);
  const id = useId();
  const analysis = useMemo(() => (outputs ? analyse(outputs) : null), [outputs]);
  if (!outputs || !analysis) return null;
  const classNames = classNamesFor(datasetNames, outputs.numClasses);
  const cellButtons = (model: ModelKey, name: string) => ({
    // The count is in the name: it is the cell's visible text, and a name must contain what is seen (WCAG 2.5.3).
    label: (t: number, p: number, count: number) =>
      count === 0
        ? `0 examples of true ${classNames[t]} predicted ${classNames[p]} (${name})`
        : `Show the ${count} example${count === 1 ? '' : 's'} of true ${classNames[t]} predicted ${classNames[p]} (${name})`,
    selected: openedCell?.model === model ? openedCell : null,
    onSelect: (trueClass: number, predicted: number) => {
      const same = openedCell?.model === model && openedCell.trueClass === trueClass && openedCell.predicted === predicted;
      if (same) closeCell();
      else openCell({ model, trueClass, predicted });
    },
  });
  const matrices: ReactNode = (
    <>
      <div className="matrix-grid">
        {MODELS.map((m) => (
          <Staggered key={m.key}>
            <ConfusionMatrix
              caption={`Confusion matrix: ${m.name.toLowerCase()}`}
              matrix={analysis.models[m.key].confusion}
              classNames={classNames}
              cells={cellButtons(m.key, m.name.toLowerCase())}
            />
          </Staggered>
        ))}
        <Staggered>
          <ConfusionMatrix
            caption="Confusion matrix difference: distilled − teacher"
            diverging
            matrix={analysis.difference}
            classNames={classNames}
          />
        </Staggered>
      </div>
      <p className="view-note">
        Rows are the true class, columns the prediction. In the difference, a positive cell off the diagonal is a mistake the distilled
        student makes more often than its teacher; a negative cell on the diagonal is a class it gets right less often. Click a cell of a
        model's matrix (or Tab to it and move with the arrow keys) to see its test examples.
      </p>
      <CellGallery outputs={outputs} analysis={analysis} classNames={classNames} />
    </>
  );
  return (
    <section className="view analysis" aria-labelledby={id}>
      <h2 id={id}>Analysis</h2>
      <p className="view-note">On the {outputs.labels.length.toLocaleString('en-US')} test examples, after the last epoch.</p>
      <h3>Confusion matrices</h3>
      {outputs.numClasses > FOLD_MATRICES_ABOVE ? (
        <details className="matrix-details">
          <summary>Show the confusion matrices ({outputs.numClasses} classes)</summary>
          {matrices}
        </details>
      ) : (
        matrices
      )}
      <DisagreementGallery outputs={outputs} analysis={analysis} classNames={classNames} />
      <h3>Per-class accuracy</h3>
      <Staggered placeholderHeight={CHART_HEIGHT}>
        <PerClassBars
          title="Per-class test accuracy"
          classNames={classNames}
          series={MODELS.map((m) => ({ name: m.name, accuracy: analysis.models[m.key].perClass, color: COLORS[m.key] }))}
        />
      </Staggered>
      <h3>Calibration</h3>
      <p>
        Expected calibration error (ECE, at T = 1, 10 confidence bins):{' '}
        {MODELS.map((m) => `${m.name.toLowerCase()} ${percent1(analysis.models[m.key].ece)}`).join(', ')}. It is the gap between how sure a
        model is and how often it is right, averaged over the test set: lower is better.
      </p>
      <div className="reliability-grid">
        {MODELS.map((m) => (
          <Staggered key={m.key} placeholderHeight={CHART_HEIGHT}>
            <ReliabilityDiagram name={m.name} bins={analysis.models[m.key].bins} ece={analysis.models[m.key].ece} color={COLORS[m.key]} />
          </Staggered>
        ))}
      </div>
    </section>
  );
}
