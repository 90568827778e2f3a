import { useStudio } from '../../state/store';
import { EpochChart, type EpochSeries } from './EpochChart';
import { LossChart } from './LossChart';
import { EmptyChartHint } from '../EmptyChartHint';

const ACCURACY: readonly EpochSeries[] = [
  { name: 'Teacher', key: 'teacherAccuracy', value: (e) => e.teacherAccuracy, model: 'teacher' },
  { name: 'Distilled student', key: 'distilledAccuracy', value: (e) => e.distilledAccuracy, model: 'distilled' },
  { name: 'Scratch student', key: 'scratchAccuracy', value: (e) => e.scratchAccuracy, model: 'scratch' },
];

const AGREEMENT: readonly EpochSeries[] = [
  { name: 'Distilled student', key: 'distilledAgreement', value: (e) => e.distilledAgreement, model: 'distilled' },
  { name: 'Scratch student', key: 'scratchAgreement', value: (e) => e.scratchAgreement, model: 'scratch' },
];

const KL: readonly EpochSeries[] = [
  { name: 'Distilled student', key: 'distilledKL', value: (e) => e.distilledKL, model: 'distilled' },
  { name: 'Scratch student', key: 'scratchKL', value: (e) => e.scratchKL, model: 'scratch' },
];

const OMITTED: readonly EpochSeries[] = [
  { name: 'Distilled student', key: 'omittedDistilled', value: (e) => e.omitted?.distilledAccuracy, model: 'distilled' },
  { name: 'Scratch student', key: 'omittedScratch', value: (e) => e.omitted?.scratchAccuracy, model: 'scratch' },
];

/** The live charts, in their own chunk: recharts is most of the page's JavaScript, so it loads after first paint. */
export default function Charts() {
  const omitted = useStudio((s) => s.distillEpochs.at(-1)?.omitted);
  const className = useStudio((s) => (omitted ? s.dataset?.classNames[omitted.classIndex] : undefined));
  return (
    <div className="charts">
      <EmptyChartHint chart="loss">
        <LossChart />
      </EmptyChartHint>
      <EmptyChartHint chart="accuracy">
        <EpochChart title="Test accuracy per epoch" series={ACCURACY} />
      </EmptyChartHint>
      <EmptyChartHint chart="agreement">
        <EpochChart title="Agreement with the teacher" series={AGREEMENT} />
      </EmptyChartHint>
      <EmptyChartHint chart="kl">
        <EpochChart title="KL(teacher ‖ student) on the test set, at T" series={KL} unit="number" />
      </EmptyChartHint>
      {omitted && <EpochChart title={`Test accuracy on the omitted class "${className ?? omitted.classIndex}"`} series={OMITTED} />}
    </div>
  );
}
