/** Model specs and their sizes: plain data and arithmetic, no tfjs, so the page can use them too. */

export type Activation = 'relu' | 'tanh' | 'sigmoid';

/** A model described by a few numbers; buildModel turns it into a tf.LayersModel that outputs logits. */
export type ModelSpec =
  | { kind: 'mlp'; hidden: number[]; activation: Activation; dropout: number }
  | { kind: 'cnn'; filters: number[]; kernelSize: number; dense: number; dropout: number };

export interface ModelShape {
  numFeatures: number;
  numClasses: number;
  /** Needed by CNNs: how the flat features fold into an image. */
  imageShape?: [number, number, number];
}

export interface ModelStats {
  params: number;
  /** Multiply-adds counted as 2 FLOPs, for one sample's forward pass. */
  flopsPerSample: number;
  /** Size of the float32 weights. */
  bytes: number;
}

export function describeSpec(spec: ModelSpec): string {
  if (spec.kind === 'mlp')
    return `MLP ${['in', ...spec.hidden, 'out'].join('-')} (${spec.activation}${spec.dropout > 0 ? `, dropout ${spec.dropout}` : ''})`;
  return `CNN conv${spec.kernelSize}x${spec.kernelSize} ${spec.filters.join('-')} + dense ${spec.dense}`;
}

export function validateSpec(spec: ModelSpec, shape: ModelShape): void {
  const widths = spec.kind === 'mlp' ? spec.hidden : [...spec.filters, spec.dense];
  for (const w of widths) {
    if (!Number.isInteger(w) || w < 1 || w > 8192) throw new Error(`Layer width must be a whole number from 1 to 8192, got ${w}.`);
  }
  if (!(spec.dropout >= 0 && spec.dropout < 1)) throw new Error(`Dropout must be in [0, 1), got ${spec.dropout}.`);
  if (spec.kind === 'cnn' && !shape.imageShape) throw new Error('A CNN needs image data (this data set has no image shape).');
}

/** Parameters, FLOPs and bytes computed from the spec alone, without building the model. */
export function modelStats(spec: ModelSpec, shape: ModelShape): ModelStats {
  validateSpec(spec, shape);
  let params = 0;
  let flops = 0;
  const dense = (inputs: number, units: number) => {
    params += inputs * units + units;
    flops += 2 * inputs * units;
  };
  let width: number;
  if (spec.kind === 'mlp') {
    width = shape.numFeatures;
    for (const units of spec.hidden) {
      dense(width, units);
      width = units;
    }
  } else {
    let [h, w, c] = shape.imageShape as [number, number, number];
    const k = spec.kernelSize;
    for (const filters of spec.filters) {
      params += k * k * c * filters + filters;
      flops += 2 * k * k * c * filters * h * w;
      c = filters;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
    dense(h * w * c, spec.dense);
    width = spec.dense;
  }
  dense(width, shape.numClasses);
  return { params, flopsPerSample: flops, bytes: params * 4 };
}

/** The inner layers buildModel makes for `spec`, in order (index, name, output width): what a hint can read. */
export function specLayers(spec: ModelSpec, shape: ModelShape): { index: number; name: string; width: number }[] {
  validateSpec(spec, shape);
  const out: { name: string; width: number }[] = [];
  if (spec.kind === 'mlp') {
    for (const units of spec.hidden) {
      out.push({ name: `dense ${units} (${spec.activation})`, width: units });
      if (spec.dropout > 0) out.push({ name: `dropout after dense ${units}`, width: units });
    }
  } else {
    let [h, w, c] = shape.imageShape as [number, number, number];
    out.push({ name: 'reshape to image', width: h * w * c });
    for (const filters of spec.filters) {
      out.push({ name: `conv ${filters} (${h}x${w})`, width: h * w * filters });
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
      c = filters;
      out.push({ name: `max pool (${h}x${w}x${c})`, width: h * w * c });
    }
    out.push({ name: 'flatten', width: h * w * c });
    out.push({ name: `dense ${spec.dense}`, width: spec.dense });
    if (spec.dropout > 0) out.push({ name: `dropout after dense ${spec.dense}`, width: spec.dense });
  }
  return out.map((l, index) => ({ index, ...l }));
}
