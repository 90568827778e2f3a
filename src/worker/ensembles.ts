import * as tf from '@tensorflow/tfjs';
import { errorText } from '../core/backend';
import { disposeQuietly } from '../core/checkpoint';
import { checkEnsembleSize, ensembleTeacher } from '../core/ensemble';
import { ENSEMBLE_MAX_MEMBERS, type EnsembleCombine, type TeacherDescriptor } from '../core/experiment';
import { accuracy, agreement } from '../core/metrics';
import type { DataTensors } from '../core/tensors';
import { postTeacherBoundary } from './boundaries';
import type { Dropped, FromWorker, TeacherResult, TeacherRunConfig } from './protocol';
import type { RunControl } from './run-driver';
import { type RunFaults, trainTeacher } from './runs';
import { requireData, type SessionTeacher, session, setTeacher } from './session';

/**
 * Ensembles in the worker. The members are SessionTeachers in session.ensembleMembers, which owns
 * them: one of them may also be the current teacher (dropTeacher leaves it to the list), and an
 * ensemble teacher shares them (it frees, when it goes, only those no longer in the list).
 */

type Post = (msg: FromWorker) => void;

const COMBINE_NAMES: Record<EnsembleCombine, string> = {
  'mean-log-prob': 'mean of log-probabilities',
  'mean-prob': 'mean of probabilities',
};

/** The members each ensemble teacher was made of (the SessionTeachers, not only their models). */
const partsOf = new WeakMap<SessionTeacher, readonly SessionTeacher[]>();

/** The members' results, as the page lists them. */
export function ensembleMemberResults(): TeacherResult[] {
  return session.ensembleMembers.map((m) => m.result);
}

/** A member is freed once, however many of the list, the teacher and an ensemble teacher let it go. */
function disposeOnce(teacher: SessionTeacher): SessionTeacher {
  const dispose = teacher.dispose.bind(teacher);
  let done = false;
  teacher.dispose = () => {
    if (done) return;
    done = true;
    dispose();
  };
  return teacher;
}

/** `teacher` reporting `result`, also once made again on another backend. */
function reporting(teacher: SessionTeacher, result: TeacherResult): SessionTeacher {
  teacher.result = result;
  const recreate = teacher.recreate;
  if (recreate) teacher.recreate = async () => reporting(await recreate(), result);
  return teacher;
}

/** Whether the list, the teacher or the ensemble that is the teacher still uses `member`. */
function held(member: SessionTeacher): boolean {
  const teacher = session.teacher;
  return (
    session.ensembleMembers.includes(member) ||
    teacher === member ||
    (teacher !== null && (partsOf.get(teacher)?.includes(member) ?? false))
  );
}

function release(members: readonly SessionTeacher[]): void {
  for (const m of members) if (!held(m)) m.dispose();
}

/**
 * `members` made again on the active backend from what JS memory holds, after a move to another
 * backend, and the old copies freed; `moved` is a member already made again (the teacher, by
 * moveSessionTo). A member that cannot be made again is left out, with a sentence in `lost`.
 */
async function remake(
  members: readonly SessionTeacher[],
  lost: string[],
  moved: { from: SessionTeacher | null; to: SessionTeacher | null } = { from: null, to: null },
): Promise<SessionTeacher[]> {
  const kept: SessionTeacher[] = [];
  for (const [i, member] of members.entries()) {
    try {
      if (member === moved.from && moved.to) kept.push(disposeOnce(moved.to));
      else if (member.recreate) kept.push(disposeOnce(await member.recreate()));
      else throw new Error('there is no copy of it outside the failed backend');
    } catch (e) {
      lost.push(`ensemble member ${i + 1} could not be moved (${errorText(e)}): add it again`);
    }
    disposeQuietly(member);
  }
  return kept;
}

/**
 * For moveSessionTo (fallback.ts), once it has moved the teacher (`teacher`: the old one and its new
 * copy): the members move too, and the one that was the teacher is the teacher's new copy.
 */
export async function moveEnsembleMembers(
  teacher: { from: SessionTeacher | null; to: SessionTeacher | null },
  lost: string[],
): Promise<void> {
  const members = session.ensembleMembers;
  session.ensembleMembers = [];
  session.ensembleMembers = await remake(members, lost, teacher);
}

/** The members' test accuracy each, their agreement with the ensemble, and the ensemble's accuracy. */
async function measure(
  members: readonly SessionTeacher[],
  ensembleLogits: tf.Tensor2D,
  data: DataTensors,
): Promise<{ accuracy: number; members: { testAccuracy: number; agreement: number }[] }> {
  const out: { testAccuracy: number; agreement: number }[] = [];
  for (const member of members) {
    const logits = await member.model.logits(data.xTest);
    let scalars: tf.Tensor1D;
    try {
      scalars = tf.tidy(() => tf.stack([accuracy(logits, data.yTest), agreement(logits, ensembleLogits)]) as tf.Tensor1D);
    } finally {
      logits.dispose();
    }
    const [testAccuracy, agree] = await scalars.data();
    scalars.dispose();
    out.push({ testAccuracy, agreement: agree });
  }
  const scalar = accuracy(ensembleLogits, data.yTest);
  const [acc] = await scalar.data();
  scalar.dispose();
  return { accuracy: acc, members: out };
}

const sum = (values: (number | null)[]): number | null =>
  values.every((v): v is number => v !== null) ? values.reduce((a, b) => a + b, 0) : null;

/** The teacher that the members make together, measured on the test split; it shares the members with the list. */
async function buildEnsemble(members: SessionTeacher[], combine: EnsembleCombine): Promise<SessionTeacher> {
  checkEnsembleSize(members.length);
  const { data } = requireData();
  const model = ensembleTeacher(
    members.map((m) => m.model),
    combine,
  );
  const logits = await model.logits(data.xTest);
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    measured = await measure(members, logits, data);
  } finally {
    logits.dispose();
  }
  const descriptors = members.map((m) => m.result.descriptor);
  const descriptor: TeacherDescriptor | undefined = descriptors.every((d): d is TeacherDescriptor => d !== undefined)
    ? { kind: 'ensemble', combine, members: descriptors }
    : undefined;
  const result: TeacherResult = {
    testAccuracy: measured.accuracy,
    agreement: 1,
    params: sum(members.map((m) => m.result.params)),
    bytes: sum(members.map((m) => m.result.bytes)),
    latencyMsPerSample: null,
    description: `Ensemble of ${members.length} teachers (${COMBINE_NAMES[combine]})`,
    source: 'ensemble',
    kind: 'ensemble',
    exportable: false,
    hintLayers: null,
    members: members.map((m, i) => ({ ...m.result, ...measured.members[i], latencyMsPerSample: null })),
    combine,
    ...(descriptor ? { descriptor } : {}),
  };
  return ensembleSessionTeacher(members, combine, result);
}

function ensembleSessionTeacher(parts: SessionTeacher[], combine: EnsembleCombine, result: TeacherResult): SessionTeacher {
  const models = parts.map((p) => p.model);
  const teacher: SessionTeacher = {
    model: ensembleTeacher(models, combine),
    layers: null,
    members: models,
    result,
    // Called while it is still the teacher (dropTeacher): only the list can still hold a part then.
    dispose: () => {
      for (const p of parts) if (!session.ensembleMembers.includes(p)) p.dispose();
    },
  };
  partsOf.set(teacher, parts);
  const recreates = parts.map((p) => p.recreate);
  if (recreates.every((r) => r !== undefined)) {
    teacher.recreate = async () => {
      const fresh: SessionTeacher[] = [];
      try {
        for (const recreate of recreates) fresh.push(disposeOnce(await recreate()));
      } catch (e) {
        for (const f of fresh) f.dispose();
        throw e;
      }
      return ensembleSessionTeacher(fresh, combine, result);
    };
  }
  return teacher;
}

/** The current teacher joins the members; refused (with the reason) when there is none, it is an ensemble, already a member, or the list is full. */
export function addToEnsemble(requestId: number): FromWorker {
  const teacher = session.teacher;
  if (!teacher) throw new Error('Load or train a teacher first: it is the teacher that joins the ensemble.');
  if (partsOf.has(teacher)) throw new Error('An ensemble cannot be a member of another ensemble: add its members one by one.');
  if (session.ensembleMembers.includes(teacher)) throw new Error('This teacher is already in the ensemble.');
  if (session.ensembleMembers.length >= ENSEMBLE_MAX_MEMBERS) {
    throw new Error(`An ensemble has at most ${ENSEMBLE_MAX_MEMBERS} teachers: remove one first.`);
  }
  session.ensembleMembers = [...session.ensembleMembers, disposeOnce(teacher)];
  return { type: 'ensembleMembers', requestId, members: ensembleMemberResults() };
}

/** Member `index` (0-based) leaves the list; it is freed unless it is the teacher or part of it. */
export function removeFromEnsemble(requestId: number, index: number): FromWorker {
  const members = session.ensembleMembers;
  if (!Number.isInteger(index) || index < 0 || index >= members.length) {
    throw new Error(`There is no ensemble member ${index + 1}: the ensemble has ${members.length}.`);
  }
  const gone = members[index];
  session.ensembleMembers = members.filter((_, i) => i !== index);
  release([gone]);
  return { type: 'ensembleMembers', requestId, members: ensembleMemberResults() };
}

/** The members (2..8) become the teacher. The members stay in the list. */
export async function useEnsemble(combine: EnsembleCombine, post: Post): Promise<{ teacher: TeacherResult; dropped: Dropped }> {
  const members = session.ensembleMembers;
  if (members.length < 2) {
    throw new Error(
      `An ensemble needs at least 2 teachers; it has ${members.length}. Add teachers to it with "Add teacher to ensemble", or use "Train ensemble".`,
    );
  }
  const teacher = await buildEnsemble(members, combine);
  const dropped = setTeacher(teacher);
  post({ type: 'ensembleMembers', members: ensembleMemberResults() });
  return { teacher: teacher.result, dropped };
}

/**
 * 'metrics' of member `index` as progress through the whole ensemble run (overall samples, epochs
 * and time left). Its loss points and epoch summaries are not passed on: they restart with each
 * member, and ensembleMemberDone reports each member instead.
 */
function memberPost(post: Post, index: number, size: number, elapsedBefore: number, onElapsed: (s: number) => void): Post {
  return (msg) => {
    if (msg.type === 'teacherEpoch') return;
    if (msg.type !== 'metrics') {
      post(msg);
      return;
    }
    const p = msg.progress;
    const samplesDone = index * p.samplesTotal + p.samplesDone;
    const samplesTotal = size * p.samplesTotal;
    onElapsed(p.elapsedSeconds);
    post({
      ...msg,
      losses: null,
      progress: {
        ...p,
        epoch: index * p.epochs + p.epoch,
        epochs: size * p.epochs,
        samplesDone,
        samplesTotal,
        etaSeconds: p.samplesPerSec > 0 ? (samplesTotal - samplesDone) / p.samplesPerSec : null,
        elapsedSeconds: elapsedBefore + p.elapsedSeconds,
      },
    });
  };
}

/** The run's faults as member `index` meets them: an injected failure at the run's epoch N (counted over all members) hits one member once. */
function memberFaults(faults: RunFaults, index: number, epochs: number): RunFaults {
  const { env, failAtEpoch } = faults;
  const own = env ? { env } : {};
  if (failAtEpoch === undefined || Math.ceil(failAtEpoch / epochs) - 1 !== index) return own;
  return { ...own, failAtEpoch: failAtEpoch - index * epochs };
}

/**
 * Trains `size` teachers of `config`'s preset with seeds 1..size one after the other; they then
 * replace the members and, combined as `combine`, become the teacher. Stopped part-way, nothing
 * changes: the members trained so far are freed.
 */
export async function runTrainEnsemble(
  control: RunControl,
  config: TeacherRunConfig,
  size: number,
  combine: EnsembleCombine,
  post: Post,
  faults: RunFaults = {},
): Promise<void> {
  checkEnsembleSize(size);
  requireData();
  const trained: SessionTeacher[] = [];
  let backend = session.backend?.name;
  let elapsed = 0;
  let adopted = false;
  try {
    for (let index = 0; index < size; index++) {
      if (control.stopRequested) break;
      const seed = index + 1;
      let memberElapsed = 0;
      const teacher = await trainTeacher(
        control,
        { ...config, seed },
        memberPost(post, index, size, elapsed, (s) => {
          memberElapsed = s;
        }),
        memberFaults(faults, index, config.epochs),
      );
      if (!teacher) break;
      elapsed += memberElapsed;
      reporting(teacher, { ...teacher.result, description: `${teacher.result.description}, seed ${seed}` });
      if (session.backend?.name !== backend) {
        // The backend failed while this member trained: the members trained before it are still on the old one.
        const lost: string[] = [];
        trained.push(...(await remake(trained.splice(0), lost)));
        backend = session.backend?.name;
        if (lost.length) {
          teacher.dispose();
          throw new Error(`The ensemble could not go on after the backend failed: ${lost.join('; ')}.`);
        }
      }
      trained.push(disposeOnce(teacher));
      post({ type: 'ensembleMemberDone', runId: control.runId, index, size, member: teacher.result });
    }
    if (trained.length < size) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const ensemble = await buildEnsemble(trained, combine);
    const previous = session.ensembleMembers;
    session.ensembleMembers = trained;
    adopted = true;
    const dropped = setTeacher(ensemble);
    release(previous);
    await postTeacherBoundary(post);
    post({ type: 'ensembleMembers', members: ensembleMemberResults() });
    post({ type: 'teacherDone', runId: control.runId, teacher: ensemble.result, dropped });
  } finally {
    if (!adopted) for (const t of trained) t.dispose();
  }
}
