import { SavePngButton } from '../charts/SavePngButton';
import { useEffect, useId, useRef } from 'react';
import type { BoundaryBox, GridPrediction } from '../../core/boundary';
import { formatPercent } from '../../state/format';
import { useBoundaries, type StudentBoundary } from '../../state/boundary-store';
import { useStudio } from '../../state/store';
import type { BoundaryPoints } from '../../worker/protocol';
import { paintBoundary, planeAgreement } from './boundary-paint';
import './boundary.css';

const CANVAS_PX = 240;

interface PanelProps {
  title: string;
  /** How the aria-label names the model. */
  name: string;
  prediction: GridPrediction | null;
  /** Students only: the epoch painted; null before any run. */
  student?: StudentBoundary | null;
  teacher: GridPrediction | null;
  grid: { box: BoundaryBox; size: number };
  points: BoundaryPoints | null;
}

function BoundaryPanel({ title, name, prediction, student, teacher, grid, points }: PanelProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const captionId = useId();
  const epoch = student?.epoch;
  useEffect(() => {
    // Several messages can land in one frame: only the last one is painted.
    const frame = requestAnimationFrame(() => {
      const el = canvas.current;
      if (!el) return;
      paintBoundary(el, prediction, grid, points);
      el.dataset.painted = prediction ? 'true' : 'false';
      if (epoch !== undefined) el.dataset.paintedEpoch = String(epoch);
      else delete el.dataset.paintedEpoch;
    });
    return () => cancelAnimationFrame(frame);
  }, [prediction, grid, points, epoch]);

  const isStudent = student !== undefined;
  const when = !isStudent ? 'frozen' : student ? `epoch ${student.epoch}` : 'not trained yet';
  const agreement = isStudent && student && teacher ? planeAgreement(student.prediction, teacher) : null;
  return (
    <figure className="boundary" aria-labelledby={captionId}>
      <canvas ref={canvas} width={CANVAS_PX} height={CANVAS_PX} role="img" aria-label={`Decision boundary: ${name}, ${when}`} />
      <figcaption id={captionId}>
        <strong>{title}</strong>{' '}
        <span className="boundary-when">
          {!isStudent ? 'frozen' : student ? `epoch ${student.epoch} of ${student.epochs}` : 'not trained yet'}
          {agreement !== null && `, agrees with the teacher on ${formatPercent(agreement)} of the plane`}
        </span>
      </figcaption>
      <SavePngButton title={`Decision boundary ${title}`} />
    </figure>
  );
}

/** Teacher and both students' decision regions on 2-D data, repainted as the students train. */
export function BoundaryView() {
  const twoD = useStudio((s) => s.dataset !== null && s.dataset.numFeatures === 2 && !s.dataset.imageShape);
  const { grid, points, teacher, distilled, scratch } = useBoundaries();
  const id = useId();
  if (!twoD || !grid) return null;
  const shared = { grid, points, teacher };
  return (
    <section className="results boundaries" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Decision boundaries</h2>
      <p className="boundary-note">Each model's class over the plane, shaded by how sure it is; the training points on top.</p>
      <div className="boundary-row">
        <BoundaryPanel title="Teacher" name="teacher" prediction={teacher} {...shared} />
        <BoundaryPanel
          title="Distilled student"
          name="distilled student"
          prediction={distilled?.prediction ?? null}
          student={distilled}
          {...shared}
        />
        <BoundaryPanel
          title="Scratch student"
          name="scratch student"
          prediction={scratch?.prediction ?? null}
          student={scratch}
          {...shared}
        />
      </div>
    </section>
  );
}
