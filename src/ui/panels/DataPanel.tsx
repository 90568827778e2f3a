import { formatCount } from '../../state/format';
import { useStudio } from '../../state/store';

export function DataPanel() {
  const dataset = useStudio((s) => s.dataset);
  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      {dataset ? (
        <p>
          <strong>{dataset.name}</strong>: {formatCount(dataset.trainCount)} training and {formatCount(dataset.testCount)} test digits, {dataset.numClasses} classes,{' '}
          {dataset.imageShape ? dataset.imageShape.slice(0, 2).join('×') : dataset.numFeatures} pixels. Fixed stratified split.
        </p>
      ) : (
        <p>Loading MNIST-10k…</p>
      )}
    </section>
  );
}
