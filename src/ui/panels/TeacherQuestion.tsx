import { useId, useState } from 'react';
import { answerTeacherQuestion, cancelTeacherQuestion } from '../../state/load-actions';
import type { StudioState } from '../../state/store';
import type { OnnxChoice, OnnxIo, OnnxLayout, OnnxQuestion } from '../../worker/protocol';

/** The layouts as the select shows them: the names people know from PyTorch and TensorFlow. */
export const LAYOUT_LABELS: Record<OnnxLayout, string> = { flat: 'flat', nhwc: 'NHWC', nchw: 'NCHW' };

/** "input (float32, batch × 1 × 28 × 28)": a tensor as the model declares it, so two inputs can be told apart. */
export function describeIo(io: OnnxIo): string {
  return `${io.name} (${io.elemType}, ${io.dims.map((d) => d ?? '?').join(' × ')})`;
}

/** The first offer of each part asked: what the selects start at. */
export function firstChoice(question: OnnxQuestion): OnnxChoice {
  return {
    ...(question.inputs?.[0] && { input: question.inputs[0].name }),
    ...(question.outputs?.[0] && { output: question.outputs[0].name }),
    ...(question.layouts?.[0] && { layout: question.layouts[0] }),
  };
}

/**
 * What the worker could not decide about an uploaded model (which input, which output, how a row is laid out):
 * only the parts it asked about are shown. The files wait in the store; nothing else changed until "Use these".
 */
export default function TeacherQuestion({
  pending,
  disabled,
}: {
  pending: NonNullable<StudioState['teacherQuestion']>;
  disabled: boolean;
}) {
  const { question, fileName } = pending;
  const [choice, setChoice] = useState<OnnxChoice>(() => firstChoice(question));
  const id = useId();
  const pick = (part: Partial<OnnxChoice>) => setChoice((c) => ({ ...c, ...part }));
  return (
    <fieldset className="teacher-question">
      <legend>{fileName}: which one?</legend>
      <p className="field-help">
        The model could be read more than one way. Pick what fits this data set; the teacher in use stays until it loads.
      </p>
      {question.inputs && (
        <IoSelect
          id={`${id}-in`}
          label="Model input"
          options={question.inputs}
          value={choice.input}
          onChange={(input) => pick({ input })}
        />
      )}
      {question.outputs && (
        <IoSelect
          id={`${id}-out`}
          label="Model output"
          options={question.outputs}
          value={choice.output}
          onChange={(output) => pick({ output })}
        />
      )}
      {question.layouts && (
        <div className="field">
          <label htmlFor={`${id}-layout`}>Input layout</label>
          <select
            id={`${id}-layout`}
            value={choice.layout}
            onChange={(e) => {
              const layout = question.layouts?.find((l) => l === e.target.value);
              if (layout) pick({ layout });
            }}
          >
            {question.layouts.map((l) => (
              <option key={l} value={l}>
                {LAYOUT_LABELS[l]}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="button-row">
        <button type="button" className="primary" disabled={disabled} onClick={() => answerTeacherQuestion(choice)}>
          Use these
        </button>
        <button type="button" onClick={cancelTeacherQuestion}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

function IoSelect({
  id,
  label,
  options,
  value,
  onChange,
}: {
  id: string;
  label: string;
  options: OnnxIo[];
  value: string | undefined;
  onChange: (name: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((io) => (
          <option key={io.name} value={io.name}>
            {describeIo(io)}
          </option>
        ))}
      </select>
    </div>
  );
}
