import type { TeacherResult } from './protocol';

/** What the worker reports of a teacher, for tests that only need one to be there. */
export const TEST_TEACHER_RESULT: TeacherResult = {
  testAccuracy: 0.5,
  agreement: 1,
  params: null,
  bytes: null,
  latencyMsPerSample: null,
  description: 'test teacher',
  source: 'trained',
  exportable: true,
  hintLayers: null,
};
