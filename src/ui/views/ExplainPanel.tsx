import { useId } from 'react';
import type { LossTerms } from '../../core/experiment';
import { distillRunConfig, fitToData } from '../../state/config';
import { formatWeight, lossFormula } from '../../state/loss-formula';
import { useStudio } from '../../state/store';
import './views.css';

const percent = (x: number) => `${formatWeight(x * 100)}%`;

export interface LossExplanationProps {
  loss: LossTerms;
  /** Fraction of training rows whose labels the students see. */
  labelledFraction: number;
}

/** The loss the Distill button would train with, in words and as a formula with its numbers. */
export function LossExplanation({ loss, labelledFraction }: LossExplanationProps) {
  const id = useId();
  const { symbolic, substituted } = lossFormula(loss);
  const t = formatWeight(loss.temperature);
  return (
    <section className="panel explain" aria-labelledby={id}>
      <h2 id={id}>What is happening</h2>
      <p>
        The distilled student learns from two signals at once. The <strong>soft term</strong> compares its probabilities with the teacher's,
        both softened at temperature T = {t}: the higher T, the more the teacher's belief spreads over the wrong classes, and how it spreads
        (which wrong classes look alike) is the "dark knowledge" that plain labels lack. The <strong>hard term</strong> is the usual
        cross-entropy with the true labels y.
      </p>
      <p className="formula">
        <span>{symbolic}</span>
        <span>{substituted}</span>
      </p>
      <ul>
        <li>
          α = {formatWeight(loss.alpha)}: the soft term gets {percent(loss.alpha)} of the weight, the true labels {percent(1 - loss.alpha)}.
        </li>
        <li>
          {loss.scaleByT2
            ? `T² = ${formatWeight(loss.temperature ** 2)}: softening at T shrinks the soft term's gradients by 1/T², and this factor gives them back their size.`
            : `No T² factor: the soft term's gradients shrink by 1/T² = ${formatWeight(1 / loss.temperature ** 2)} at this T.`}
        </li>
        {loss.logitMse > 0 && (
          <li>
            Logit matching (Ba &amp; Caruana), weight {formatWeight(loss.logitMse)}: the student's raw logits z are pulled towards the
            teacher's by squared error.
          </li>
        )}
        {loss.hint && loss.hint.weight > 0 && (
          <li>
            Hint (FitNets), weight {formatWeight(loss.hint.weight)}: student layer {loss.hint.studentLayer}, through a learned linear map W,
            is pulled towards teacher layer {loss.hint.teacherLayer}.
          </li>
        )}
        {labelledFraction < 1 && (
          <li>
            Only {percent(labelledFraction)} of the training rows keep their labels: the hard term sees those, the soft term sees every row.
          </li>
        )}
        <li>The scratch student is the control: same architecture and starting weights, trained on the true labels alone.</li>
      </ul>
    </section>
  );
}

/** Follows the settings live, after the same adjustments to the data and teacher that a run would make. */
export function ExplainPanel() {
  const config = useStudio((s) => s.config);
  const dataset = useStudio((s) => s.dataset);
  const canHint = useStudio((s) => s.teacher?.hintLayers != null);
  const studentSource = useStudio((s) => s.studentSource);
  const run = distillRunConfig(config, studentSource);
  const fitted = dataset ? fitToData(run, dataset, canHint) : run;
  return <LossExplanation loss={fitted.loss} labelledFraction={fitted.transfer.labelledFraction} />;
}
