import { specLayers } from '../../core/model-spec';
import { studentPreset } from '../../core/presets';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { Select } from '../Select';
import { AdvancedSection } from './AdvancedSection';
import { MethodFields } from './MethodFields';
import { QuantAwareFields } from './QuantAwareFields';

const OFF = 'off';

/** The method (Hinton KD, DKD, born-again, mutual learning), soft-target ablations, the T^2 factor, logit matching and FitNets hints. */
export function LossPanel() {
  const busy = useStudio((s) => s.run !== null);
  const config = useStudio((s) => s.config);
  const dataset = useStudio((s) => s.dataset);
  const teacherLayers = useStudio((s) => s.teacher?.hintLayers ?? null);
  const uploadedStudent = useStudio((s) => s.studentSource === 'uploaded');
  let studentLayers: { index: number; name: string; width: number }[] = [];
  try {
    studentLayers = dataset && !uploadedStudent ? specLayers(studentPreset(config.studentPreset).spec, dataset) : [];
  } catch {
    studentLayers = []; // a CNN student on non-image data: the student panel says why
  }
  const hintUnavailable = !teacherLayers
    ? 'This teacher is a graph model: its inner layers cannot be read.'
    : studentLayers.length === 0
      ? uploadedStudent
        ? 'Hints need a preset student.'
        : 'This student has no hidden layer to hint.'
      : null;
  const teacherOptions = [
    { id: OFF, label: 'Off', hint: hintUnavailable ?? 'No hint term.' },
    ...(teacherLayers ?? []).map((l) => ({ id: String(l.index), label: `${l.index}: ${l.name}`, hint: `${l.width} values per sample.` })),
  ];
  const studentOptions = studentLayers.map((l) => ({
    id: String(l.index),
    label: `${l.index}: ${l.name}`,
    hint: `${l.width} values; a learned linear map takes them to the teacher layer's size.`,
  }));
  const hintOn = config.hintTeacherLayer !== null && !hintUnavailable;
  return (
    <AdvancedSection panel="loss" title="Loss terms" blurb="Method, soft targets, the T² factor, logit matching and FitNets hints.">
      <MethodFields />
      <label className="checkbox">
        <input type="checkbox" checked={config.scaleByT2} disabled={busy} onChange={(e) => setSetting('scaleByT2', e.target.checked)} />
        Multiply the soft term by T² (Hinton: keeps its gradients the same size as T grows)
      </label>
      <div className="field-grid">
        <NumberField setting="logitMse" disabled={busy} />
      </div>
      <Select
        label="Hint: teacher layer"
        value={hintOn ? String(config.hintTeacherLayer) : OFF}
        options={teacherOptions}
        disabled={busy || hintUnavailable !== null}
        onChange={(v) => setSetting('hintTeacherLayer', v === OFF ? null : Number(v))}
      />
      {hintOn && (
        <>
          <Select
            label="Hint: student layer"
            value={String(Math.min(config.hintStudentLayer, studentLayers.length - 1))}
            options={studentOptions}
            disabled={busy}
            onChange={(v) => setSetting('hintStudentLayer', Number(v))}
          />
          <div className="field-grid">
            <NumberField setting="hintWeight" disabled={busy} />
          </div>
        </>
      )}
      <QuantAwareFields />
    </AdvancedSection>
  );
}
