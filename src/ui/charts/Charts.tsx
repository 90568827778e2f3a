import { EpochChart, type EpochSeries } from './EpochChart';
import { LossChart } from './LossChart';

const ACCURACY: readonly EpochSeries[] = [
  { name: 'Teacher', key: 'teacherAccuracy', model: 'teacher' },
  { name: 'Distilled student', key: 'distilledAccuracy', model: 'distilled' },
  { name: 'Scratch student', key: 'scratchAccuracy', model: 'scratch' },
];

const AGREEMENT: readonly EpochSeries[] = [
  { name: 'Distilled student', key: 'distilledAgreement', model: 'distilled' },
  { name: 'Scratch student', key: 'scratchAgreement', model: 'scratch' },
];

/** The live charts, in their own chunk: recharts is most of the page's JavaScript, so it loads after first paint. */
export default function Charts() {
  return (
    <div className="charts">
      <LossChart />
      <EpochChart title="Test accuracy per epoch" series={ACCURACY} />
      <EpochChart title="Agreement with the teacher" series={AGREEMENT} />
    </div>
  );
}
