import type { DataDescriptor } from '../core/experiment';
import { builtInSource } from './experiment';
import type { Reload } from './startup-machine';
import type { StudioState } from './store';

/**
 * A worker that stopped took everything it held. Whatever ran is over; built-in data and a shipped
 * teacher come back by themselves once the new worker is ready (startup-machine.ts), files have to be
 * given again, and the alert says which.
 */

/** What the restarted worker loads again. */
export function reloadAfterRestart(s: StudioState): Reload {
  return { data: builtInSource(s.dataDescriptor), teacher: s.teacherDescriptor?.kind === 'shipped' ? s.teacherDescriptor.id : undefined };
}

export function restartPatch(s: StudioState, reason: string): Partial<StudioState> {
  const data = builtInSource(s.dataDescriptor);
  const teacher = s.teacherDescriptor;
  const again = [
    !data && 'fileName' in s.dataDescriptor && `the data file ${s.dataDescriptor.fileName}`,
    teacher?.kind === 'uploaded' && `the teacher ${teacher.fileName}`,
    teacher?.kind === 'preset' && 'the teacher trained here (train it again)',
    (teacher?.kind === 'onnx' || teacher?.kind === 'teachable-machine') && `the teacher ${teacher.fileName}`,
    teacher?.kind === 'ensemble'
      ? `the ensemble's ${teacher.members.length} teachers`
      : s.ensembleMembers.length > 0 && `the ensemble's ${s.ensembleMembers.length} teachers`,
    s.uploadedStudent && `the student ${s.uploadedStudent.fileName}`,
  ].filter((x): x is string => Boolean(x));
  return {
    run: null,
    progress: null,
    backend: null,
    teacher: null,
    teacherDescriptor: null,
    uploadedStudent: null,
    studentSource: 'preset',
    dataRequest: null,
    csvPreview: null,
    teacherRequest: null,
    teacherQuestion: null,
    ensembleMembers: [],
    ensembleRequest: null,
    ensembleMessage: null,
    studentRequest: null,
    exportRequest: null,
    lastExport: null,
    workerSilent: null,
    notice: null,
    ...(!data && { dataDescriptor: { kind: 'mnist' } as DataDescriptor }),
    incident: [
      `The training worker stopped (${reason.replace(/\.$/, '')}). It was restarted; ${s.run ? 'the run in progress was lost' : 'no run was in progress'}, everything else is back.`,
      again.length > 0 ? `Files cannot be reloaded by the page: load ${again.join(', ')} again.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}
