import { formatPercent } from '../state/format';
import { useStudio } from '../state/store';
import type { QuantComparison } from '../worker/protocol';

/** Which uint8 scheme the rows use, and where they are measured from (absent fields: a run saved before they existed). */
export function quantNote(q: QuantComparison): string {
  const scheme = `${q.perChannel ? 'per channel' : 'per tensor'}${q.activations ? ', with activations quantised' : ', weights only'}`;
  if (!q.perChannel && !q.activations) return `uint8 ${scheme}: each uint8 row is the TF.js uint8 export, loaded back.`;
  return `uint8 ${scheme}. TF.js's uint8 format holds one scale per tensor and float activations, so it cannot express this scheme: the uint8 rows are measured with the C int8 export's arithmetic (the C source download computes the same logits)${q.activations ? "; after training, the activations' ranges are calibrated on the training rows" : ''}.`;
}

/** The rows of the Quantisation table, each accuracy measured from an export loaded back (or, where TF.js cannot hold the scheme, the C export's arithmetic). */
export function quantRows(q: QuantComparison): { name: string; detail: string; accuracy: number }[] {
  const exported = q.perChannel || q.activations ? 'at int8 (as the C export computes it)' : 'at uint8';
  return [
    { name: 'float32', detail: 'The student trained without fake quantisation, exported at float32.', accuracy: q.float32 },
    {
      name: 'uint8 after training',
      detail: `The same student quantised after training (exported ${exported}).`,
      accuracy: q.uint8AfterTraining,
    },
    {
      name: 'uint8 trained for it',
      detail: `The distilled student, trained for uint8 in its last ${q.lastEpochs} epoch${q.lastEpochs === 1 ? '' : 's'}, exported ${exported}.`,
      accuracy: q.uint8TrainedForIt,
    },
  ];
}

const diff = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} points`;

/** After a run with "Train for uint8": what uint8 costs with and without training for it. */
export function QuantTable() {
  const q = useStudio((s) => s.results?.quantisation);
  if (!q) return null;
  return (
    <section className="quantisation" aria-labelledby="quantisation-title">
      <table aria-labelledby="quantisation-title">
        <caption id="quantisation-title">Quantisation</caption>
        <thead>
          <tr>
            <th scope="col">Weights</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">vs float32</th>
          </tr>
        </thead>
        <tbody>
          {quantRows(q).map((r) => (
            <tr key={r.name}>
              <th scope="row">
                {r.name}
                <div className="row-detail">{r.detail}</div>
              </th>
              <td>{formatPercent(r.accuracy)}</td>
              <td>{r.name === 'float32' ? '—' : diff(r.accuracy - q.float32)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-help">{quantNote(q)}</p>
    </section>
  );
}
