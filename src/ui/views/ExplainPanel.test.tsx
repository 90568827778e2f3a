import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOSS } from '../../core/experiment';
import { LossExplanation } from './ExplainPanel';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('LossExplanation', () => {
  it('writes the defaults out with T² and α substituted', () => {
    const html = text(renderToStaticMarkup(<LossExplanation loss={DEFAULT_LOSS} labelledFraction={1} />));
    expect(html).toContain('What is happening');
    expect(html).toContain('loss = α · T² · KL(p_teacher(T) ‖ p_student(T)) + (1 − α) · CE(y, p_student)');
    expect(html).toContain('= 0.9 · 16 · KL + 0.1 · CE');
    expect(html).toContain('the soft term gets 90% of the weight, the true labels 10%');
    expect(html).not.toContain('Logit matching');
    expect(html).not.toContain('keep their labels');
  });

  it('follows T, the T² switch, the extra terms and the labelled fraction', () => {
    const loss = {
      ...DEFAULT_LOSS,
      temperature: 2,
      scaleByT2: false,
      logitMse: 0.5,
      hint: { weight: 0.1, teacherLayer: 4, studentLayer: 0 },
    };
    const html = text(renderToStaticMarkup(<LossExplanation loss={loss} labelledFraction={0.1} />));
    expect(html).toContain('= 0.9 · KL + 0.1 · CE + 0.5 · MSE + 0.1 · hint');
    expect(html).toContain("No T² factor: the soft term's gradients shrink by 1/T² = 0.25 at this T.");
    expect(html).toContain('Logit matching (Ba & Caruana), weight 0.5');
    expect(html).toContain('student layer 0, through a learned linear map W, is pulled towards teacher layer 4');
    expect(html).toContain('Only 10% of the training rows keep their labels');
  });
});
