import type { DistilMethod, SoftTargets } from '../../core/experiment';
import { METHOD_LABELS, SOFT_TARGET_LABELS, methodConflict } from '../../core/method-rules';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { type Option, Select } from '../Select';
import { BornAgainFields } from './BornAgainFields';
import { MutualFields } from './MutualFields';

const METHODS: readonly Option<DistilMethod>[] = [
  {
    id: 'hinton',
    label: METHOD_LABELS.hinton,
    hint: "Hinton et al. 2015: the KL between the teacher's and the student's softened outputs.",
  },
  {
    id: 'dkd',
    label: METHOD_LABELS.dkd,
    hint: 'Zhao et al. 2022: the KL split into the target-class term (TCKD) and the non-target term (NCKD), weighed apart.',
  },
  {
    id: 'born-again',
    label: METHOD_LABELS['born-again'],
    hint: "Furlanello et al. 2018: students with the teacher's architecture, each generation distilled from the one before.",
  },
  {
    id: 'mutual',
    label: METHOD_LABELS.mutual,
    hint: "Zhang et al. 2018: two students and no teacher, each learning from the labels and the other's soft targets.",
  },
];

const SOFT_TARGETS: readonly Option<SoftTargets>[] = [
  { id: 'teacher', label: SOFT_TARGET_LABELS.teacher, hint: "The teacher's softened outputs, as they are." },
  {
    id: 'shuffled',
    label: SOFT_TARGET_LABELS.shuffled,
    hint: "Per row, the teacher's probabilities of the wrong classes permuted: the same softness, no similarity between classes.",
  },
  {
    id: 'smoothed',
    label: SOFT_TARGET_LABELS.smoothed,
    hint: "The teacher's probability of the true class kept, the rest spread evenly over the wrong classes.",
  },
];

/** The Method select and its settings, and the Soft targets ablations (which apply to Hinton KD only). */
export function MethodFields() {
  const busy = useStudio((s) => s.run !== null);
  const method = useStudio((s) => s.config.method);
  const softTargets = useStudio((s) => s.config.softTargets);
  const labelledFraction = useStudio((s) => s.config.labelledFraction);
  const transferData = useStudio((s) => s.config.transferData);
  const ablatable = method === 'hinton';
  const conflict = methodConflict(method, softTargets, { labelledFraction, data: { kind: transferData } });
  const chooseMethod = (v: DistilMethod) => {
    setSetting('method', v);
    // The select below shows the teacher's targets for other methods: the run must not carry a hidden ablation.
    if (v !== 'hinton') setSetting('softTargets', 'teacher');
  };
  return (
    <>
      <Select label="Method" value={method} options={METHODS} disabled={busy} onChange={chooseMethod} />
      {method === 'dkd' && (
        <div className="field-grid">
          <NumberField setting="dkdAlpha" disabled={busy} />
          <NumberField setting="dkdBeta" disabled={busy} />
        </div>
      )}
      {method === 'born-again' && <BornAgainFields />}
      {method === 'mutual' && <MutualFields />}
      <Select
        label="Soft targets"
        value={softTargets}
        options={SOFT_TARGETS}
        disabled={busy || !ablatable}
        onChange={(v) => setSetting('softTargets', v)}
      />
      {!ablatable && <small className="field-help">Soft-target ablations are of Hinton KD: choose Method "Hinton KD" to use them.</small>}
      {conflict && (
        <p className="field-help" role="status">
          {conflict}
        </p>
      )}
    </>
  );
}
