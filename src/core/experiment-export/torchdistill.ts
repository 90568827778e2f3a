import type { DataDescriptor, ExperimentConfig, TeacherDescriptor } from '../experiment';
import { parseExperiment } from '../experiment-validate';
import { specLayers, type ModelShape, type ModelSpec } from '../model-spec';
import { checkExportShape, studentSpecOf, teacherSpecOf, teacherTrainingOf } from './architectures';
import { DEFAULT_TEST_FRACTION } from './pytorch-data';
import type { Plain } from './quote';
import { toYaml } from './yaml';

/** Fixed text only: nothing from the experiment goes into a comment, where a newline in a file name could end it. */
const HEADER = `# torchdistill configuration exported from Distill Studio (knowledge distillation in the browser).
# torchdistill 1.x layout (key/kwargs), written without custom tags (!import_call, !join), so any
# YAML reader loads it. The studio's experiment, as its JSON, is under distill_studio.
#
# Before running it with torchdistill:
# - Register the models: "distill_studio_mlp" / "distill_studio_cnn" are the studio's architectures
#   (build_model() in the PyTorch export builds them from these kwargs; they take rows of features,
#   so flatten images first). Train the teacher first (distill_studio.resolved.teacherTraining) or set src_ckpt.
#   An ONNX teacher is "distill_studio_onnx": a module that runs its .onnx with onnxruntime (the PyTorch
#   export's OnnxLogits and NumpyTeacher show how).
# - Data sets other than MNIST (keys starting DistillStudio) need registering too; the PyTorch
#   export's load_data() shows how the studio prepares them.
# - torchdistill's KDLoss weighs the hard term by its own alpha and always multiplies by T^2; it is used
#   here with alpha 0 (the plain KL at temperature T), and the studio's alpha and T^2 switch are in
#   the weights of the sub-terms "soft" and "hard".
# - Not expressible in this file: the labelled fraction (the hard term needs a label mask), the
#   omitted class and jitter (a data set wrapper), and the scratch control. They are recorded under
#   distill_studio.transfer; the PyTorch export implements them all.
`;

/**
 * A torchdistill-style YAML config for the experiment. Like toPyTorchScript, it validates the config
 * with parseExperiment first and refuses one that fails.
 */
export function toTorchdistillYaml(
  c: ExperimentConfig,
  numFeatures: number,
  numClasses: number,
  imageShape?: [number, number, number],
): string {
  const config = parseExperiment(c);
  const shape: ModelShape = { numFeatures, numClasses, imageShape };
  checkExportShape(config, shape);
  if (config.teacher.kind === 'ensemble' || config.teacher.kind === 'teachable-machine') {
    throw new Error(
      `The torchdistill export takes one PyTorch or ONNX teacher; ${config.teacher.kind === 'ensemble' ? 'an ensemble' : 'a Teachable Machine model'} has no torchdistill model entry. Use the PyTorch export, which ${config.teacher.kind === 'ensemble' ? 'builds the ensemble' : 'takes its logits precomputed'}.`,
    );
  }
  const { loss, optimiser } = config;
  const data = datasetEntry(config.data);
  const teacherSpec = teacherSpecOf(config.teacher);
  const studentSpec = studentSpecOf(config.student);
  const hint = loss.hint && loss.hint.weight > 0 ? loss.hint : null;
  const doc: { [key: string]: Plain } = {
    distill_studio: {
      ...(config as unknown as Record<string, Plain>),
      resolved: { numFeatures, numClasses, imageShape: imageShape ?? null, teacherTraining: teacherTrainingOf(config.teacher) as Plain },
    },
    datasets: { [data.name]: data.entry },
    models: {
      teacher_model: {
        ...(config.teacher.kind === 'onnx'
          ? onnxEntry(config.teacher)
          : modelEntry(teacherSpec, shape, config.teacher.kind === 'uploaded' ? config.teacher.fileName : null)),
        src_ckpt: null,
      },
      student_model: {
        ...modelEntry(studentSpec, shape, config.student.kind === 'uploaded' ? config.student.fileName : null),
        src_ckpt: null,
        dst_ckpt: './resource/ckpt/distill_studio_student.pt',
      },
    },
    train: {
      log_freq: 100,
      num_epochs: optimiser.epochs,
      train_data_loader: {
        dataset_id: `${data.name}/train`,
        random_sample: true,
        batch_size: optimiser.batchSize,
        num_workers: 0,
        cache_output: null,
      },
      val_data_loader: { dataset_id: `${data.name}/test`, random_sample: false, batch_size: 1024, num_workers: 0 },
      teacher: {
        sequential: [],
        ...(hint ? { forward_hook: { input: [], output: [`layers.${hint.teacherLayer}`] } } : {}),
        requires_grad: false,
      },
      student: {
        adaptations:
          hint && teacherSpec && studentSpec
            ? { regressor: regressor(teacherSpec, studentSpec, shape, hint.teacherLayer, hint.studentLayer) }
            : null,
        sequential: [],
        ...(hint ? { forward_hook: { input: [], output: [`layers.${hint.studentLayer}`] } } : {}),
        requires_grad: true,
        frozen_modules: [],
      },
      optimizer: { key: 'Adam', kwargs: { lr: optimiser.learningRate, betas: [0.9, 0.999], eps: 1e-7 } },
      criterion: { key: 'WeightedSumLoss', kwargs: { sub_terms: subTerms(config, hint !== null) } },
    },
    test: { test_data_loader: { dataset_id: `${data.name}/test`, random_sample: false, batch_size: 1024, num_workers: 0 } },
  };
  return `${HEADER}\n${toYaml(doc)}`;
}

/** 12 significant digits: 1 - 0.9 is written 0.1, not 0.09999999999999998. */
const tidy = (x: number) => Number(x.toPrecision(12));

const wrapped = (input: Plain, target: Plain) => ({ key: 'SimpleLossWrapper', kwargs: { input, target } });
const studentOutput = (path = '.') => ({ is_from_teacher: false, module_path: path, io: 'output' });
const teacherOutput = (path = '.') => ({ is_from_teacher: true, module_path: path, io: 'output' });

function subTerms(c: ExperimentConfig, hint: boolean): Plain {
  const { temperature: T, alpha, scaleByT2, logitMse } = c.loss;
  const terms: { [key: string]: Plain } = {
    soft: {
      criterion: {
        key: 'KDLoss',
        kwargs: {
          student_module_path: '.',
          student_module_io: 'output',
          teacher_module_path: '.',
          teacher_module_io: 'output',
          temperature: T,
          alpha: 0,
          reduction: 'batchmean',
        },
      },
      weight: tidy(alpha * (scaleByT2 ? T * T : 1)),
    },
    hard: {
      criterion: { key: 'CrossEntropyLoss', kwargs: { reduction: 'mean' } },
      criterion_wrapper: wrapped(studentOutput(), { uses_label: true }),
      weight: tidy(1 - alpha),
    },
  };
  if (logitMse > 0)
    terms.logit_mse = {
      criterion: { key: 'MSELoss', kwargs: { reduction: 'mean' } },
      criterion_wrapper: wrapped(studentOutput(), teacherOutput()),
      weight: logitMse,
    };
  if (hint && c.loss.hint) {
    terms.hint = {
      criterion: { key: 'MSELoss', kwargs: { reduction: 'mean' } },
      criterion_wrapper: wrapped(studentOutput('+regressor'), teacherOutput(`layers.${c.loss.hint.teacherLayer}`)),
      weight: c.loss.hint.weight,
    };
  }
  return terms;
}

function regressor(teacher: ModelSpec, student: ModelSpec, shape: ModelShape, teacherLayer: number, studentLayer: number): Plain {
  return {
    key: 'Linear',
    kwargs: { in_features: specLayers(student, shape)[studentLayer].width, out_features: specLayers(teacher, shape)[teacherLayer].width },
  };
}

function onnxEntry(t: Extract<TeacherDescriptor, { kind: 'onnx' }>): { [key: string]: Plain } {
  return {
    key: 'distill_studio_onnx',
    kwargs: { onnx_file: t.fileName, sha256: t.sha256, input: t.input ?? null, output: t.output ?? null, layout: t.layout ?? null },
  };
}

function modelEntry(spec: ModelSpec | null, shape: ModelShape, uploadedFile: string | null): { [key: string]: Plain } {
  if (!spec) return { key: 'uploaded_model', kwargs: { uploaded_file: uploadedFile } };
  const common = { num_features: shape.numFeatures, num_classes: shape.numClasses };
  if (spec.kind === 'mlp')
    return { key: 'distill_studio_mlp', kwargs: { ...common, hidden: spec.hidden, activation: spec.activation, dropout: spec.dropout } };
  return {
    key: 'distill_studio_cnn',
    kwargs: {
      ...common,
      image_shape: shape.imageShape ?? null,
      filters: spec.filters,
      kernel_size: spec.kernelSize,
      dense: spec.dense,
      dropout: spec.dropout,
    },
  };
}

function splits(name: string, kwargs: (train: boolean) => Plain): Plain {
  return { train: { dataset_id: `${name}/train`, kwargs: kwargs(true) }, test: { dataset_id: `${name}/test`, kwargs: kwargs(false) } };
}

function datasetEntry(d: DataDescriptor): { name: string; entry: Plain } {
  switch (d.kind) {
    case 'mnist':
      return {
        name: 'mnist',
        entry: {
          name: 'mnist',
          key: 'MNIST',
          splits: splits('mnist', (train) => ({
            root: './resource/dataset/mnist',
            train,
            download: true,
            transform_configs: [{ key: 'ToTensor', kwargs: null }],
          })),
        },
      };
    case 'iris':
      return {
        name: 'iris',
        entry: {
          name: 'iris',
          key: 'DistillStudioIris',
          splits: splits('iris', (train) => ({ train, seed: d.seed, test_fraction: DEFAULT_TEST_FRACTION, normalisation: 'standardise' })),
        },
      };
    case 'toy':
      return {
        name: 'toy',
        entry: {
          name: 'toy',
          key: 'DistillStudioToy',
          splits: splits('toy', (train) => ({
            train,
            toy: d.toy,
            size: d.size,
            noise: d.noise,
            classes: d.classes ?? null,
            seed: d.seed,
            test_fraction: DEFAULT_TEST_FRACTION,
          })),
        },
      };
    case 'csv':
      return {
        name: 'csv',
        entry: {
          name: 'csv',
          key: 'DistillStudioCsv',
          splits: splits('csv', (train) => ({
            train,
            path: d.fileName,
            test_path: d.testFileName ?? null,
            label_column: d.labelColumn,
            normalisation: d.normalisation,
            image_shape: d.imageShape ?? null,
            test_fraction: d.testFraction,
            seed: d.seed,
          })),
        },
      };
    case 'images':
      return {
        name: 'images',
        entry: {
          name: 'images',
          key: 'DistillStudioImageFolder',
          splits: splits('images', (train) => ({
            train,
            archive: d.fileName,
            width: d.width,
            height: d.height,
            channels: d.channels,
            test_fraction: d.testFraction,
            seed: d.seed,
          })),
        },
      };
  }
}
