import { describe, expect, it } from 'vitest';
import { liveSentence } from '../core/lessons/compare';
import { LESSONS, lessonById } from '../core/lessons/lessons';
import type { DistillEpoch } from '../core/trainer';
import type { DistillResults, TeacherResult } from '../worker/protocol';
import { DEFAULT_CONFIG, distillRunConfig, restoreConfig, settingError, SETTING_RULES, type NumericSetting } from './config';
import { lessonConfig, liveFigures } from './lesson-store';
import { INITIAL_STUDIO, type StudioState } from './store';

const lesson = (id: string) => {
  const found = lessonById(id);
  if (!found) throw new Error(`No lesson ${id}`);
  return found;
};

describe("every lesson's settings", () => {
  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: are settings the studio accepts, unchanged by its own validation', (_, l) => {
    const config = lessonConfig(l);
    // restoreConfig keeps a saved value only where it is valid: a lesson's settings must all survive it.
    expect(restoreConfig(config)).toEqual(config);
    for (const key of Object.keys(SETTING_RULES) as NumericSetting[]) expect(settingError(key, config[key])).toBeNull();
    for (const [key, value] of Object.entries(l.settings)) expect(config[key as keyof typeof config]).toBe(value);
  });

  it('start from the default recipe, so that a lesson chosen after other experiments still runs what it quotes', () => {
    expect(lessonConfig(lesson('distilled-vs-scratch'))).toEqual(DEFAULT_CONFIG);
    expect(lessonConfig(lesson('few-labels'))).toEqual({ ...DEFAULT_CONFIG, labelledFraction: 0.03 });
  });
});

const model = { agreement: 0.9, params: 10, bytes: 40, latencyMsPerSample: null };
const teacher: TeacherResult = { ...model, testAccuracy: 0.978, description: 'T', source: 'shipped', exportable: true, hintLayers: null };
const epoch = (n: number, distilled: number, scratch: number, omitted?: DistillEpoch['omitted']): DistillEpoch => ({
  epoch: n,
  teacherAccuracy: 0.978,
  distilledAccuracy: distilled,
  scratchAccuracy: scratch,
  distilledAgreement: 0.9,
  scratchAgreement: 0.8,
  distilledKL: 0.1,
  scratchKL: 0.2,
  ...(omitted && { omitted }),
});
const studio = (patch: Partial<StudioState>): StudioState => ({ ...INITIAL_STUDIO, config: DEFAULT_CONFIG, ...patch });
const resultsOf = (
  config: StudioState['config'],
  distilled: number,
  scratch: number,
  extra: Partial<DistillResults> = {},
): DistillResults => ({
  teacher,
  distilled: { ...model, testAccuracy: distilled, description: 'S' },
  scratch: { ...model, testAccuracy: scratch, description: 'S' },
  config: distillRunConfig(config),
  ...extra,
});

describe("the live run's figures", () => {
  const few = lesson('few-labels');
  const fewConfig = lessonConfig(few);

  it('are none before a run, and none from a run with other settings', () => {
    expect(liveFigures(studio({ config: fewConfig }), few)).toBeNull();
    expect(liveFigures(studio({ results: resultsOf(DEFAULT_CONFIG, 0.944, 0.9425) }), few)).toBeNull();
  });

  it("are the finished run's results, read into the comparison sentence", () => {
    const live = liveFigures(studio({ config: fewConfig, results: resultsOf({ ...fewConfig, studentEpochs: 2 }, 0.9, 0.7) }), few);
    expect(live).toEqual({ teacher: 0.978, distilled: 0.9, scratch: 0.7 });
    if (!live) throw new Error('no figures');
    expect(liveSentence(few, live)).toMatch(
      /^Your distilled student: 90\.00%; the scratch one: 70\.00% \(distilled ahead by 20\.00 points/,
    );
  });

  it("are the latest epoch's while the lesson's run goes on", () => {
    const s = studio({
      config: fewConfig,
      run: { id: 1, kind: 'distill', status: 'running' },
      distillEpochs: [epoch(1, 0.5, 0.4), epoch(2, 0.8, 0.6)],
    });
    expect(liveFigures(s, few)).toEqual({ teacher: 0.978, distilled: 0.8, scratch: 0.6, progress: { epoch: 2, epochs: 20 } });
  });

  it('give the omitted class and the best bias for the missing digit', () => {
    const missing = lesson('missing-digit');
    const config = lessonConfig(missing);
    // Two test rows, both 3s; the distilled student's 3-logit is 2 below its favourite: a bias of 2 or more brings both back.
    const testOutputs = {
      numClasses: 10,
      labels: Int32Array.from([3, 3]),
      teacher: new Float32Array(20),
      distilled: Float32Array.from([
        ...Array.from({ length: 10 }, (_, c) => (c === 8 ? 2 : 0)),
        ...Array.from({ length: 10 }, (_, c) => (c === 5 ? 2 : 0)),
      ]),
      scratch: new Float32Array(20),
    };
    const s = studio({
      config,
      results: resultsOf(config, 0.87, 0.85, { testOutputs }),
      distillEpochs: [epoch(20, 0.87, 0.85, { classIndex: 3, distilledAccuracy: 0.15, scratchAccuracy: 0 })],
    });
    const live = liveFigures(s, missing);
    expect(live?.omitted).toEqual({ distilled: 0.15, scratch: 0 });
    expect(live?.corrected?.onClass).toBe(1);
    expect(live?.corrected?.bias).toBeGreaterThanOrEqual(2);
  });
});
