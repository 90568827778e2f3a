import type { TransferData } from '../../core/experiment';
import { TRANSFER_DATA_LABELS } from '../../core/transfer-data/labels';
import { LABELLED_FRACTIONS } from '../../state/config';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { Select } from '../Select';
import { AdvancedSection } from './AdvancedSection';

const NONE = 'none';

type DataKind = TransferData['kind'];

const DATA_HINTS: Record<DataKind, string> = {
  training: 'The students learn from the training rows.',
  gaussian:
    "Inputs drawn to match the training set's per-feature mean and standard deviation: no real row reaches the distilled student, and the teacher's answer is its only label.",
  synthesised:
    'Data-free: inputs optimised against the frozen teacher, class by class (its confidence, diversity, smoothness for images, its BatchNorm statistics). The distilled student learns from them alone; the test set stays real.',
  mixup: "Each batch mixed with a shuffled copy of itself; teacher and student see the same mixture (Beyer et al.'s function matching).",
};

const DATA_KINDS: readonly DataKind[] = ['training', 'gaussian', 'synthesised', 'mixup'];

/** What the students learn from: the transfer data, how much of the training set keeps its labels, a class left out, jitter. */
export function TransferPanel() {
  const busy = useStudio((s) => s.run !== null);
  const config = useStudio((s) => s.config);
  const dataset = useStudio((s) => s.dataset);
  const layersTeacher = useStudio((s) => (s.teacher ? s.teacher.hintLayers !== null : null));
  const classNames = dataset?.classNames ?? [];
  const kind = config.transferData;
  const generated = kind !== 'training';
  const dataOptions = DATA_KINDS.map((k) => ({ id: k, label: TRANSFER_DATA_LABELS[k], hint: DATA_HINTS[k] }));
  const fractionOptions = LABELLED_FRACTIONS.map((f) => ({
    id: String(f.value),
    label: f.label,
    hint:
      f.value === 1
        ? 'Every training row keeps its label.'
        : `Only ${f.label} of each class keeps its label; the teacher labels the rest for the distilled student. The scratch control sees the labelled rows alone.`,
  }));
  const omitOptions = [
    { id: NONE, label: 'None', hint: 'Every class is in the transfer set.' },
    ...classNames.map((name, i) => ({
      id: String(i),
      label: name,
      hint: `No "${name}" in the transfer set: the student learns it from the teacher's soft targets on other classes alone (Hinton et al.'s "no 3s").`,
    })),
  ];
  const omit = config.omitClass !== null && config.omitClass < classNames.length ? String(config.omitClass) : NONE;
  const chooseData = (next: DataKind) => {
    setSetting('transferData', next);
    // Generated or mixed inputs replace the training rows: the options that pick rows go back to all of them, so no hidden choice reaches the run.
    if (next !== 'training') {
      setSetting('labelledFraction', 1);
      setSetting('omitClass', null);
      setSetting('jitter', 0);
    }
  };
  const rowsNote = `"${TRANSFER_DATA_LABELS[kind]}" replaces the training rows: it uses every class and all labels, with no jitter.`;
  return (
    <AdvancedSection panel="transfer" title="Transfer set" blurb="Where the inputs come from; fewer labels, a class left out, jitter.">
      <Select label="Transfer data" value={kind} options={dataOptions} disabled={busy} onChange={chooseData} />
      {kind === 'mixup' && (
        <div className="field-grid">
          <NumberField setting="mixupAlpha" disabled={busy} />
        </div>
      )}
      {kind === 'synthesised' && (
        <>
          <div className="field-grid">
            <NumberField setting="synthPerClass" disabled={busy} />
            <NumberField setting="synthSteps" disabled={busy} />
          </div>
          {layersTeacher === false && (
            <p className="field-help" role="alert">
              "Synthesised from the teacher" needs a TensorFlow.js layers teacher: its inputs are optimised through the teacher's gradients,
              which ONNX, Teachable Machine and ensemble teachers do not give here.
            </p>
          )}
        </>
      )}
      {generated && <p className="field-help">{rowsNote}</p>}
      <Select
        label="Labelled fraction"
        value={String(config.labelledFraction)}
        options={fractionOptions}
        disabled={busy || generated}
        onChange={(v) => setSetting('labelledFraction', Number(v))}
      />
      <Select
        label="Omit class"
        value={omit}
        options={omitOptions}
        disabled={busy || generated}
        onChange={(v) => setSetting('omitClass', v === NONE ? null : Number(v))}
      />
      {dataset?.imageShape ? (
        <div className="field-grid">
          <NumberField setting="jitter" disabled={busy || generated} />
        </div>
      ) : (
        <p className="field-help">Jitter needs image data.</p>
      )}
    </AdvancedSection>
  );
}
