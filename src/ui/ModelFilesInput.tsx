import { useId, type ReactNode } from 'react';

/** What a TF.js model comes as: model.json with its .bin shards, or one .zip. */
export const TFJS_MODEL_FILES = '.json,.bin,.zip,application/json,application/zip';

/** A labelled picker for a model: by default a TF.js one, model.json with its .bin shards chosen together, or one .zip. */
export function ModelFilesInput({
  label,
  disabled,
  onFiles,
  help,
  accept = TFJS_MODEL_FILES,
}: {
  label: string;
  disabled: boolean;
  onFiles: (files: File[]) => void;
  help: ReactNode;
  accept?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        multiple
        accept={accept}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = ''; // choosing the same files again must fire again
        }}
      />
      <small id={`${id}-help`} className="field-help">
        {help}
      </small>
    </div>
  );
}
