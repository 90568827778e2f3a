import { checkClassIndices, checkSameLength, rowCount } from './checks';

/**
 * Calibration and soft-target statistics on plain arrays (flat row-major [rows, numClasses]).
 * Everything is accumulated in doubles; Float32Array is only the exchange format.
 */

function checkTemperature(temperature: number): void {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new Error(`Temperature must be a positive number, got ${temperature}.`);
}

/** log softmax(row / T) into `out`; subtracting the row max keeps exp() finite for large logits. */
function logSoftmaxRow(logits: ArrayLike<number>, base: number, numClasses: number, temperature: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[base + c] / temperature);
  let sum = 0;
  for (let c = 0; c < numClasses; c++) sum += Math.exp(logits[base + c] / temperature - max);
  const logSum = max + Math.log(sum);
  for (let c = 0; c < numClasses; c++) out[c] = logits[base + c] / temperature - logSum;
}

export function softmaxRows(logits: ArrayLike<number>, numClasses: number, temperature = 1): Float32Array {
  checkTemperature(temperature);
  const n = rowCount(logits, numClasses, 'logits');
  const out = new Float32Array(n * numClasses);
  const row = new Float64Array(numClasses);
  for (let r = 0; r < n; r++) {
    logSoftmaxRow(logits, r * numClasses, numClasses, temperature, row);
    for (let c = 0; c < numClasses; c++) out[r * numClasses + c] = Math.exp(row[c]);
  }
  return out;
}

export interface ReliabilityBin {
  /** The bin covers confidences in (lower, upper]. */
  lower: number;
  upper: number;
  count: number;
  /** Mean top-class probability of the rows in the bin; NaN when the bin is empty. */
  confidence: number;
  /** Fraction of the rows in the bin whose top class is the label; NaN when the bin is empty. */
  accuracy: number;
}

/**
 * Rows binned by top-class probability into `bins` equal-width bins over (0, 1].
 * Ties for the top class go to the lowest index, as argmaxRows does.
 */
export function reliabilityBins(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  bins = 10,
): ReliabilityBin[] {
  if (!(Number.isInteger(bins) && bins > 0)) throw new Error(`bins must be a positive integer, got ${bins}.`);
  const n = rowCount(probabilities, numClasses, 'probabilities');
  if (labels.length !== n) throw new Error(`probabilities has ${n} rows but labels has ${labels.length} entries.`);
  checkClassIndices(labels, numClasses, 'labels');
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (let r = 0; r < n; r++) {
    const base = r * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[base + c] > probabilities[base + best]) best = c;
    const conf = probabilities[base + best];
    // float32 puts values written as bin edges a hair above them (0.3f = 0.30000001); the slack keeps them in the bin they name.
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf * bins - 1e-6) - 1));
    count[b]++;
    confSum[b] += conf;
    if (best === labels[r]) correct[b]++;
  }
  return count.map((k, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: k,
    confidence: k > 0 ? confSum[b] / k : NaN,
    accuracy: k > 0 ? correct[b] / k : NaN,
  }));
}

/** Σ (count / n)·|accuracy − confidence| over non-empty bins; n defaults to the rows in the bins. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[], n = bins.reduce((a, b) => a + b.count, 0)): number {
  if (!(n > 0)) throw new Error(`n must be positive, got ${n}.`);
  return bins.reduce((acc, b) => (b.count > 0 ? acc + (b.count / n) * Math.abs(b.accuracy - b.confidence) : acc), 0);
}

/** Shannon entropy in nats, with 0·log 0 = 0. */
export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
  return h;
}

export function entropyBits(p: ArrayLike<number>): number {
  return entropy(p) / Math.LN2;
}

/** Mean over rows of KL(softmax(t/T) ‖ softmax(s/T)), without the T² factor (as losses.ts softTargetKL); NaN for no rows. */
export function meanKL(
  teacherLogits: ArrayLike<number>,
  studentLogits: ArrayLike<number>,
  numClasses: number,
  temperature: number,
): number {
  checkTemperature(temperature);
  checkSameLength(teacherLogits, studentLogits, 'teacherLogits and studentLogits');
  const n = rowCount(teacherLogits, numClasses, 'teacherLogits');
  const logPt = new Float64Array(numClasses);
  const logPs = new Float64Array(numClasses);
  let total = 0;
  for (let r = 0; r < n; r++) {
    logSoftmaxRow(teacherLogits, r * numClasses, numClasses, temperature, logPt);
    logSoftmaxRow(studentLogits, r * numClasses, numClasses, temperature, logPs);
    for (let c = 0; c < numClasses; c++) {
      const pt = Math.exp(logPt[c]);
      // 0·log 0 = 0: a class the teacher rules out contributes nothing, even where the student's log-probability is -Infinity.
      if (pt > 0) total += pt * (logPt[c] - logPs[c]);
    }
  }
  return total / n;
}
