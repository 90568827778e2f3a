import { useMemo, useState } from 'react';
import { saveFiles } from '../../state/download';
import { experimentOf, shareLink } from '../../state/share-actions';
import { useStudio } from '../../state/store';
import { AdvancedSection } from './AdvancedSection';
import { errorText } from '../../core/error-text';

/** The run as one JSON object: what reproduces it here, and what scripts outside the browser start from. */
export function ExperimentPanel() {
  const config = useStudio((s) => s.config);
  const dataDescriptor = useStudio((s) => s.dataDescriptor);
  const dataset = useStudio((s) => s.dataset);
  const teacherDescriptor = useStudio((s) => s.teacherDescriptor);
  const teacher = useStudio((s) => s.teacher);
  const studentSource = useStudio((s) => s.studentSource);
  const uploadedStudent = useStudio((s) => s.uploadedStudent);
  const [copied, setCopied] = useState<string | null>(null);
  const experiment = useMemo(
    () => experimentOf({ config, dataDescriptor, dataset, teacherDescriptor, teacher, studentSource, uploadedStudent }),
    [config, dataDescriptor, dataset, teacherDescriptor, teacher, studentSource, uploadedStudent],
  );
  const json = experiment ? JSON.stringify(experiment, null, 2) : null;
  const download = async (kind: 'pytorch' | 'yaml') => {
    if (!experiment || !dataset) return;
    try {
      // The writers are a chunk of their own, fetched on the first download: they are not needed to start (tests/product-bundle.test.ts).
      const text =
        kind === 'pytorch'
          ? (await import('../../core/experiment-export/pytorch')).toPyTorchScript(
              experiment,
              dataset.numFeatures,
              dataset.numClasses,
              dataset.imageShape,
            )
          : (await import('../../core/experiment-export/torchdistill')).toTorchdistillYaml(
              experiment,
              dataset.numFeatures,
              dataset.numClasses,
              dataset.imageShape,
            );
      saveFiles([
        {
          name: kind === 'pytorch' ? 'distill_experiment.py' : 'distill_experiment.yaml',
          bytes: new TextEncoder().encode(text).buffer as ArrayBuffer,
        },
      ]);
      setCopied(
        kind === 'pytorch'
          ? 'Saved distill_experiment.py: run it with python3 (needs torch).'
          : 'Saved distill_experiment.yaml (torchdistill style).',
      );
    } catch (e) {
      setCopied(`Could not write the ${kind === 'pytorch' ? 'script' : 'YAML'}: ${errorText(e)}`);
    }
  };
  const copy = async (what: 'json' | 'link') => {
    if (!json || !experiment) return;
    const link = shareLink(experiment);
    try {
      await navigator.clipboard.writeText(what === 'json' ? json : link);
      setCopied(
        what === 'json'
          ? 'Copied the configuration as JSON.'
          : 'Copied a link that opens the studio set up like this (the settings travel in the link; files do not).',
      );
    } catch {
      setCopied(
        what === 'json'
          ? 'The browser refused the clipboard: select the text below and copy it.'
          : `The browser refused the clipboard; the link is: ${link}`,
      );
    }
  };
  return (
    <AdvancedSection panel="experiment" title="Experiment" blurb="Copy a share link or the configuration; PyTorch and torchdistill files.">
      {!json ? (
        <p className="field-help">Load or train a teacher: the experiment names it.</p>
      ) : (
        <>
          <div className="button-row">
            <button type="button" onClick={() => void copy('json')}>
              Copy configuration
            </button>
            <button type="button" onClick={() => void copy('link')}>
              Copy share link
            </button>
            <button type="button" onClick={() => void download('pytorch')}>
              Download PyTorch script
            </button>
            <button type="button" onClick={() => void download('yaml')}>
              Download torchdistill YAML
            </button>
          </div>
          <p className="field-help" aria-live="polite">
            {copied}
          </p>
          <details>
            <summary>Configuration (JSON)</summary>
            {/* A tab stop so that it scrolls by keyboard; a named region, as a name on a bare <pre> is not announced. */}
            {/* biome-ignore lint/a11y/useSemanticElements lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard (axe: scrollable-region-focusable) */}
            <pre className="experiment-json" role="region" aria-label="Experiment configuration" tabIndex={0}>
              {json}
            </pre>
          </details>
        </>
      )}
    </AdvancedSection>
  );
}
