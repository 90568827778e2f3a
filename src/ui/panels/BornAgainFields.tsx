import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';

/** Born-again's one setting: how many generations, each distilled from the one before (the Loss panel mounts it when Born-again is chosen). */
export function BornAgainFields() {
  const busy = useStudio((s) => s.run !== null);
  return (
    <div className="field-grid">
      <NumberField setting="generations" disabled={busy} />
    </div>
  );
}
