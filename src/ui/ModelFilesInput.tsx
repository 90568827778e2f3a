import { useId, type ReactNode } from 'react';

/** A labelled picker for a TF.js model: model.json with its .bin shards chosen together, or one .zip. */
export function ModelFilesInput({
  label,
  disabled,
  onFiles,
  help,
}: {
  label: string;
  disabled: boolean;
  onFiles: (files: File[]) => void;
  help: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        multiple
        accept=".json,.bin,.zip,application/json,application/zip"
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
