import { AccuracyChart } from './AccuracyChart';
import { AgreementChart } from './AgreementChart';
import { LossChart } from './LossChart';

/** The live charts, in their own chunk: recharts is most of the page's JavaScript, so it loads after first paint. */
export default function Charts() {
  return (
    <div className="charts">
      <LossChart />
      <AccuracyChart />
      <AgreementChart />
    </div>
  );
}
