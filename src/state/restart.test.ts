import { describe, expect, it } from 'vitest';
import type { TeacherResult } from '../worker/protocol';
import { DEFAULT_CONFIG } from './config';
import { restartPatch } from './restart';
import { INITIAL_STUDIO, type StudioState } from './store';

const member: TeacherResult = {
  testAccuracy: 0.9,
  agreement: 1,
  params: 1,
  bytes: 4,
  latencyMsPerSample: null,
  description: 'MLP',
  source: 'trained',
  exportable: true,
  hintLayers: null,
};
const studio = (over: Partial<StudioState>): StudioState => ({ ...INITIAL_STUDIO, config: DEFAULT_CONFIG, ...over });

describe('restartPatch: what a new worker does not hold (issue 13)', () => {
  it('forgets the ensemble, a question waiting for an answer, and says which teachers to give again', () => {
    const file = new File(['x'], 'net.onnx');
    const patch = restartPatch(
      studio({
        teacherDescriptor: { kind: 'onnx', fileName: 'net.onnx', sha256: 'ab' },
        ensembleMembers: [member, member],
        ensembleRequest: { id: 3, label: 'Adding the teacher' },
        teacherQuestion: { files: [file], fileName: 'net.onnx', question: { layouts: ['nhwc', 'nchw'] } },
      }),
      'it crashed',
    );
    expect(patch).toMatchObject({ ensembleMembers: [], ensembleRequest: null, teacherQuestion: null, teacher: null });
    expect(patch.incident).toContain("load the teacher net.onnx, the ensemble's 2 teachers again.");
    const ensemble = restartPatch(
      studio({
        teacherDescriptor: {
          kind: 'ensemble',
          combine: 'mean-prob',
          members: [
            { kind: 'shipped', id: 'a' },
            { kind: 'shipped', id: 'b' },
          ],
        },
      }),
      'it crashed',
    );
    expect(ensemble.incident).toContain("load the ensemble's 2 teachers again.");
  });
});
