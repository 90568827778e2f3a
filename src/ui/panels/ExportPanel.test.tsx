import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useStudio } from '../../state/store';
import type { ExportedFiles } from '../../worker/protocol';
import { ExportPanel } from './ExportPanel';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

type LastExport = Omit<ExportedFiles, 'files'> & { fileNames: string[] };

function exported(extra: Partial<LastExport>): LastExport {
  return { target: 'distilled', quantization: 'none', bytes: 2000, testAccuracy: 0.875, fileNames: ['student.onnx'], ...extra };
}

beforeEach(() => useStudio.setState({ lastExport: null, exportRequest: null, exportError: null }));

describe('ExportPanel, server-rendered', () => {
  it('offers the Format select with TensorFlow.js first, and the TF.js help until an export', () => {
    const html = renderToStaticMarkup(<ExportPanel />);
    expect(html).toMatch(
      /<label for="[^"]+">Format<\/label><select[^>]*><option value="tfjs" selected="">TensorFlow.js<\/option><option value="onnx">ONNX<\/option><option value="c">C source<\/option>/,
    );
    expect(text(html)).toContain('TensorFlow.js layers format: load it with tf.loadLayersModel.');
    expect(html).not.toContain('ONNX check');
  });

  it('after an ONNX export: the check as a status, no alert while within 1e-4', () => {
    useStudio.setState({ lastExport: exported({ format: 'onnx', onnxCheck: { maxAbsDiff: 1.14e-5, testAccuracy: 0.875 } }) });
    const html = renderToStaticMarkup(<ExportPanel />);
    expect(html).toContain('role="status" aria-label="ONNX check"');
    expect(text(html)).toContain('ONNX check: largest difference 1.1e-5 from the TF.js student, test accuracy 87.50% in ONNX Runtime.');
    expect(html).not.toContain('role="alert"');
  });

  it('an ONNX check above 1e-4 is an alert; a C export says its flash and RAM', () => {
    useStudio.setState({ lastExport: exported({ format: 'onnx', onnxCheck: { maxAbsDiff: 3e-3, testAccuracy: 0.5 } }) });
    expect(text(renderToStaticMarkup(<ExportPanel />))).toContain(
      'The ONNX model differs from the TF.js student by up to 3.0e-3, more than 0.0001',
    );
    useStudio.setState({
      lastExport: exported({
        format: 'c',
        quantization: 'uint8',
        fileNames: ['distill_student.zip'],
        cSize: { weightBytes: 50922, ramBytes: 6272, codeBytesEstimate: 2000 },
      }),
    });
    const html = text(renderToStaticMarkup(<ExportPanel />));
    expect(html).toMatch(/Saved distill_student\.zip: .*, uint8 \(¼ size\); flash .* of weights \+ under .* of code, RAM /);
    expect(html).not.toContain('ONNX check');
  });
});
