/// <reference path="./python/python-raw.d.ts" />
/**
 * The Python of the PyTorch export, kept as real files in ./python so that Python tools read them
 * (tests/experiment-export.test.ts compiles each one): pytorch.ts puts a script together from these
 * parts around a generated docstring, the import lines and CONFIG. Each part reads only CONFIG and
 * what the other parts define; each mirrors a piece of the studio's engine, named in its comments.
 */
import type { ToyKind } from '../data/toy';
import bornAgainMutual from './python/born_again_mutual.py?raw';
import dataCsv from './python/data_csv.py?raw';
import dataHelpers from './python/data_helpers.py?raw';
import dataImages from './python/data_images.py?raw';
import dataIris from './python/data_iris.py?raw';
import dataMnist from './python/data_mnist.py?raw';
import dataToy from './python/data_toy.py?raw';
import distilMethods from './python/distil_methods.py?raw';
import main from './python/main.py?raw';
import models from './python/models.py?raw';
import onnxRunner from './python/onnx_runner.py?raw';
import parseArgs from './python/parse_args.py?raw';
import quantAware from './python/quant_aware.py?raw';
import repeats from './python/repeats.py?raw';
import studentBuilt from './python/student_built.py?raw';
import studentUploaded from './python/student_uploaded.py?raw';
import teacherArgs from './python/teacher_args.py?raw';
import teacherEnsemble from './python/teacher_ensemble.py?raw';
import teacherLogits from './python/teacher_logits.py?raw';
import teacherNumpy from './python/teacher_numpy.py?raw';
import teacherOnnx from './python/teacher_onnx.py?raw';
import teacherTeachable from './python/teacher_teachable.py?raw';
import teacherTrained from './python/teacher_trained.py?raw';
import teacherUploaded from './python/teacher_uploaded.py?raw';
import toyBlobs from './python/toy_blobs.py?raw';
import toyCircles from './python/toy_circles.py?raw';
import toyMoons from './python/toy_moons.py?raw';
import toySpiral from './python/toy_spiral.py?raw';
import toyXor from './python/toy_xor.py?raw';
import training from './python/training.py?raw';
import transferData from './python/transfer_data.py?raw';

/** Without the file's final newline: the script joins its parts with blank lines. */
const part = (source: string) => source.trimEnd();

export const PYTHON = {
  /** parse_args(): the device, then add_teacher_arguments(parser) of the teacher part and add_data_arguments(parser) of the data part. */
  parseArgs: part(parseArgs),
  /** Seeds, the stratified split and feature scaling (src/core/data/split.ts, normalise.ts). */
  dataHelpers: part(dataHelpers),
  /** add_data_arguments(parser) and load_data(args) for each kind of data set; a toy set adds its toy_points(d, k). */
  data: { mnist: part(dataMnist), iris: part(dataIris), csv: part(dataCsv), images: part(dataImages), toy: part(dataToy) },
  toyPoints: {
    moons: part(toyMoons),
    circles: part(toyCircles),
    blobs: part(toyBlobs),
    spiral: part(toySpiral),
    xor: part(toyXor),
  } satisfies Record<ToyKind, string>,
  /** Train for uint8 (src/core/quantise.ts): weights fake-quantised to uint8 in the last epochs, straight-through gradient. */
  quantAware: part(quantAware),
  /** Repeats (src/core/stats.ts): each seed, mean ± sd, the paired Student-t interval and the verdict. */
  repeats: part(repeats),
  /** The studio's models layer for layer (src/core/models.ts), so that hint layer indexes mean the same here. */
  models: part(models),
  /** born_again() and mutual_learning() (src/core/born-again.ts, mutual.ts): the methods that train other models than one student. */
  bornAgainMutual: part(bornAgainMutual),
  /** soft_term(): Hinton's KL, decoupled KD (src/core/dkd.ts) or the soft-target ablations (src/core/soft-targets.ts). */
  distilMethods: part(distilMethods),
  /**
   * add_teacher_arguments(parser) and get_teacher(data, args): trained here by its recipe, or (uploaded) loaded from a
   * checkpoint (both with `args`); ONNX through onnxruntime; Teachable Machine from precomputed logits; an ensemble of those.
   */
  teacher: {
    args: part(teacherArgs),
    trained: part(teacherTrained),
    uploaded: part(teacherUploaded),
    onnx: part(teacherOnnx),
    teachable: part(teacherTeachable),
    ensemble: part(teacherEnsemble),
  },
  /** Teachers that are not PyTorch modules: precomputed logits (numpy only), ONNX Runtime (numpy, onnxruntime if installed), the nn.Module around them. */
  teacherLogits: part(teacherLogits),
  onnxRunner: part(onnxRunner),
  teacherNumpy: part(teacherNumpy),
  /** build_student(): from its spec, or (uploaded) left to the user. */
  student: { built: part(studentBuilt), uploaded: part(studentUploaded) },
  /** transfer_data_source() and synthesise(): Gaussian noise, mixup and DeepInversion-style synthesis (src/core/transfer-data). */
  transferData: part(transferData),
  /** Training, the transfer set, jitter and the loss (src/core/trainer.ts, transfer.ts, losses.ts, hint.ts). */
  training: part(training),
  /** to_tensors() and main(). */
  main: part(main),
};
