import { useId, useMemo } from 'react';
import { rankDisagreements } from '../../core/analysis/disagreement';
import type { Analysis } from '../../state/analysis';
import { showMoreDisagreements, useGallery } from '../../state/gallery-store';
import type { TestOutputs } from '../../worker/protocol';
import { ThumbnailGrid } from './ThumbnailGrid';

const nats = (kl: number) => (kl >= 10 ? kl.toFixed(0) : kl.toFixed(2));

/** The test examples on which the distilled student strays furthest from its teacher, by KL at T = 1. */
export function DisagreementGallery({
  outputs,
  analysis,
  classNames,
}: {
  outputs: TestOutputs;
  analysis: Analysis;
  classNames: readonly string[];
}) {
  const shown = useGallery((s) => s.disagreementsShown);
  const id = useId();
  const ranked = useMemo(() => rankDisagreements(outputs.teacher, outputs.distilled, outputs.numClasses), [outputs]);
  const teacher = analysis.models.teacher.predictions;
  const distilled = analysis.models.distilled.predictions;
  const items = ranked.slice(0, shown).map(({ index, kl }) => {
    const t = classNames[teacher[index]];
    const d = classNames[distilled[index]];
    return {
      index,
      caption: `#${index + 1} · ${t === d ? `both ${t}` : `${t} vs ${d}`}`,
      details: `test example ${index + 1}, true ${classNames[outputs.labels[index]]}, the teacher says ${t}, the distilled student ${d}, KL ${nats(kl)} nats`,
    };
  });
  return (
    <section className="gallery disagreements" aria-labelledby={id}>
      <h3 id={id}>Where they disagree</h3>
      <p className="view-note">
        The test examples on which the distilled student's probabilities are furthest from the teacher's, by KL(teacher ‖ distilled) at T =
        1, largest first. Each caption gives the teacher's answer, then the student's. Click one to open it in the explorer.
      </p>
      <ThumbnailGrid items={items} total={ranked.length} onMore={showMoreDisagreements} />
    </section>
  );
}
