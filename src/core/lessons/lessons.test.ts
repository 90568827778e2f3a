import { describe, expect, it } from 'vitest';
import { liveSentence, measuredSentence, runMatches, type RunSettingsLike } from './compare';
import { DARK_KNOWLEDGE_TABLE, LESSONS, lessonById } from './lessons';

const lesson = (id: string) => {
  const found = lessonById(id);
  if (!found) throw new Error(`No lesson ${id}`);
  return found;
};

describe('the lessons', () => {
  it("are the four the first-minutes issue asks for, in its order, then issue 15's, with unique ids", () => {
    expect(LESSONS.map((l) => l.title)).toEqual([
      'Distilled vs scratch',
      'What temperature does',
      'Learning from the teacher with 3% of the labels',
      'The missing digit',
      'What is dark knowledge?',
    ]);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
  });

  it('each explain in steps, one of which says to run, and quote figures that are fractions', () => {
    for (const l of LESSONS) {
      expect(l.steps.length).toBeGreaterThanOrEqual(3);
      for (const s of l.steps) expect(s.title.length * s.text.length).toBeGreaterThan(0);
      expect(l.steps.some((s) => s.text.includes('"Run this experiment"'))).toBe(true);
      for (const v of [l.measured.teacher, l.measured.distilled, l.measured.scratch]) expect(v > 0 && v <= 1).toBe(true);
      expect(l.measured.how).toMatch(/measured/);
    }
  });

  it('set up what their titles promise', () => {
    const temps = lesson('temperature')
      .steps.map((s) => s.explorerTemperature)
      .filter((t) => t !== undefined);
    expect(temps).toEqual([1, 10]);
    for (const l of LESSONS)
      for (const s of l.steps) if (s.explorerTemperature !== undefined) expect(s.look, `${l.id}: ${s.title}`).toBe('explorer');
    expect(lesson('missing-digit').steps.at(-1)?.look).toBe('omitted');
    expect(lesson('few-labels').settings).toEqual({ labelledFraction: 0.03 });
    expect(lesson('missing-digit').settings).toEqual({ omitClass: 3 });
    expect(lesson('missing-digit').measured.omitted?.scratch).toBe(0);
    expect(lesson('distilled-vs-scratch').settings).toEqual({});
  });
});

describe('What is dark knowledge?', () => {
  const l = lesson('dark-knowledge');
  const text = l.steps.map((s) => s.text).join(' ');
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

  it('starts from the default recipe and walks through each option by its name on the page', () => {
    expect(l.settings).toEqual({});
    for (const name of [
      'Shuffled non-target classes',
      'Label smoothing',
      'Decoupled KD (DKD)',
      'Gaussian noise',
      'Synthesised from the teacher',
    ])
      expect(text).toContain(`"${name}"`);
  });

  it('quotes the figures measured by scripts/dark-knowledge.ts, the baseline as its measured figures', () => {
    const t = DARK_KNOWLEDGE_TABLE;
    for (const v of [t.scratch, t.hinton, t.shuffled, t.smoothed, t.dkd]) {
      expect(v > 0.5 && v <= 1).toBe(true);
      expect(text).toContain(pct(v));
    }
    expect([l.measured.teacher, l.measured.distilled, l.measured.scratch]).toEqual([t.teacher, t.hinton, t.scratch]);
    for (const v of [t.gaussian, t.synthesised]) expect(text).toContain(v === null ? 'not measured yet' : pct(v));
    expect(l.measured.how).toContain(`seeds 1-${t.seeds}`);
  });
});

const FULL = {
  studentPreset: 'mlp-64',
  studentEpochs: 20,
  batchSize: 128,
  learningRate: 0.003,
  temperature: 4,
  alpha: 0.9,
  seed: 1,
  labelledFraction: 0.03,
  omitClass: null,
  jitter: 0,
};
const RUN: RunSettingsLike = {
  studentPreset: 'mlp-64',
  loss: { temperature: 4, alpha: 0.9 },
  transfer: { labelledFraction: 0.03, omitClass: null, jitter: 0 },
};

describe('a run and a lesson', () => {
  it('match whatever the epochs and seed, and not with another temperature, fraction or left-out class', () => {
    expect(runMatches(FULL, RUN)).toBe(true);
    expect(runMatches({ ...FULL, studentEpochs: 1, seed: 7 }, RUN)).toBe(true);
    expect(runMatches(FULL, { ...RUN, loss: { temperature: 10, alpha: 0.9 } })).toBe(false);
    expect(runMatches(FULL, { ...RUN, transfer: { labelledFraction: 1, omitClass: null, jitter: 0 } })).toBe(false);
    expect(runMatches(FULL, { ...RUN, transfer: { labelledFraction: 0.03, omitClass: 3, jitter: 0 } })).toBe(false);
  });
});

describe('the comparison sentence', () => {
  it('quotes the live run beside the figures measured when the lesson was written', () => {
    const text = liveSentence(lesson('distilled-vs-scratch'), { teacher: 0.978, distilled: 0.9441, scratch: 0.9312 });
    expect(text).toBe(
      'Your distilled student: 94.41%; the scratch one: 93.12% (distilled ahead by 1.29 points; ahead by 0.15 when this lesson was written).',
    );
  });

  it('says when the figures are from a run still going, and when distillation is behind', () => {
    const text = liveSentence(lesson('few-labels'), {
      teacher: 0.978,
      distilled: 0.5,
      scratch: 0.6,
      progress: { epoch: 2, epochs: 20 },
    });
    expect(text).toBe(
      'So far (epoch 2 of 20), your distilled student: 50.00%; the scratch one: 60.00% (distilled behind by 10.00 points; ahead by 14.65 when this lesson was written).',
    );
  });

  it('adds the omitted class and the corrected bias', () => {
    const text = liveSentence(lesson('missing-digit'), {
      teacher: 0.978,
      distilled: 0.87,
      scratch: 0.85,
      omitted: { distilled: 0.2, scratch: 0 },
      corrected: { bias: 6.5, onClass: 0.8, overall: 0.92 },
    });
    expect(text).toContain('On the omitted class: distilled 20.00%, scratch 0.00% (15.05% and 0.00% when written).');
    expect(text).toContain('With its bias raised by 6.5: 80.00% of them (92.00% overall); 83.98% when written.');
  });

  it('states the measured figures with how they were measured', () => {
    expect(measuredSentence(lesson('distilled-vs-scratch'))).toBe(
      'When this lesson was written: teacher 97.80%, distilled student 94.40%, scratch student 94.25% ' +
        '(measured with seed 1 and 20 epochs, on wasm in Node; over seeds 1-3 the means were 94.58% and 94.32%).',
    );
    expect(measuredSentence(lesson('missing-digit'))).toContain('on the omitted class, distilled 15.05% and scratch 0.00%');
  });
});
