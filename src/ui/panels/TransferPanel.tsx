import { LABELLED_FRACTIONS } from '../../state/config';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { Select } from '../Select';
import { AdvancedSection } from './AdvancedSection';

const NONE = 'none';

/** What the students learn from: how much of the training set keeps its labels, a class left out, jitter. */
export function TransferPanel() {
  const busy = useStudio((s) => s.run !== null);
  const config = useStudio((s) => s.config);
  const dataset = useStudio((s) => s.dataset);
  const classNames = dataset?.classNames ?? [];
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
  return (
    <AdvancedSection panel="transfer" title="Transfer set" blurb="Fewer labels, a class left out, jitter.">
      <Select
        label="Labelled fraction"
        value={String(config.labelledFraction)}
        options={fractionOptions}
        disabled={busy}
        onChange={(v) => setSetting('labelledFraction', Number(v))}
      />
      <Select
        label="Omit class"
        value={omit}
        options={omitOptions}
        disabled={busy}
        onChange={(v) => setSetting('omitClass', v === NONE ? null : Number(v))}
      />
      {dataset?.imageShape ? (
        <div className="field-grid">
          <NumberField setting="jitter" disabled={busy} />
        </div>
      ) : (
        <p className="field-help">Jitter needs image data.</p>
      )}
    </AdvancedSection>
  );
}
