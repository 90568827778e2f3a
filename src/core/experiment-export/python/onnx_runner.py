try:
    import onnxruntime as ort
except ImportError:  # the script still runs with precomputed logits (--teacher-logits)
    ort = None

NO_ONNXRUNTIME = (
    "{who} is an ONNX model, and the Python package onnxruntime is not installed, so this script cannot "
    "compute its logits. Either install it (pip install onnxruntime) and run again, or pass its "
    "logits precomputed as a .npy file: {logits_flag} FILE.npy, an array [training rows + test rows, classes] "
    "holding the logits of this script's training rows, then of its test rows, in load_data()'s order "
    "(a run with onnxruntime writes that file with --save-teacher-logits)."
)


def onnx_file(descriptor, given, flag):
    """The .onnx the studio used: the path given, else the file of that name beside this script."""
    path = given or os.path.join(os.path.dirname(os.path.abspath(__file__)), descriptor["fileName"])
    if not os.path.isfile(path):
        raise SystemExit(f"The ONNX model {path!r} is not there: put {descriptor['fileName']!r} beside this script, or pass its path with {flag}.")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != descriptor["sha256"]:
        print(f"warning: {path} is not the model the studio used (SHA-256 {digest}, the studio's {descriptor['sha256']})", flush=True)
    return path


def pick(items, name, what, path):
    """The model input or output the studio used: by name when it recorded one, else the only one."""
    if name is not None:
        for item in items:
            if item.name == name:
                return item
        raise SystemExit(f"{path} has no {what} named {name!r} (it has {', '.join(i.name for i in items)})")
    if len(items) != 1:
        raise SystemExit(f"{path} has several {what}s ({', '.join(i.name for i in items)}): the experiment must name one")
    return items[0]


def guess_layout(dims, image_shape):
    """As the studio works it out: rows as they are, or images channels-last or channels-first."""
    if len(dims) == 4 and image_shape is not None:
        h, w, c = image_shape
        if list(dims[1:]) == [c, h, w] and list(dims[1:]) != [h, w, c]:
            return "nchw"
        return "nhwc"
    return "flat"


def to_layout(x, layout, image_shape, dims):
    """Rows of features (images stored height, width, channels) as the model's input wants them: transposed to
    channels-first for "nchw", then shaped as the input declares its sample (e.g. [28, 28] or [1, 784]) when it does."""
    n = x.shape[0]
    if layout != "flat":
        h, w, c = image_shape
        x = x.reshape(n, h, w, c)
        if layout == "nchw":
            x = x.transpose(0, 3, 1, 2)
    sample = list(dims[1:])
    if sample and all(isinstance(d, int) and d > 0 for d in sample) and int(np.prod(sample)) == x[0].size:
        return np.ascontiguousarray(x.reshape([n] + sample))
    return np.ascontiguousarray(x if layout != "flat" else x.reshape(n, -1))


def looks_like_probabilities(out):
    """Every row non-negative and summing to 1 (within 1e-3): a model that ends in a softmax, by the studio's rule."""
    return bool(len(out)) and bool((out >= 0).all()) and bool((np.abs(out.sum(axis=1) - 1) <= 1e-3).all())


class OnnxLogits:
    """The ONNX teacher's logits for rows of features (numpy in, numpy out), with onnxruntime on the CPU."""

    def __init__(self, descriptor, path, resolved, who, logits_flag):
        if ort is None:
            raise SystemExit(NO_ONNXRUNTIME.format(who=who, logits_flag=logits_flag))
        self.session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        self.input = pick(self.session.get_inputs(), descriptor.get("input"), "input", path)
        self.output = pick(self.session.get_outputs(), descriptor.get("output"), "output", path)
        if self.input.type != "tensor(float)":
            raise SystemExit(f"{path}: input {self.input.name!r} takes {self.input.type}; the studio feeds float32 rows")
        self.layout = descriptor.get("layout") or guess_layout(self.input.shape, resolved["imageShape"])
        self.image_shape = resolved["imageShape"]
        self.classes = resolved["numClasses"]
        self.path = path
        self.probabilities = False

    def outputs(self, x, batch_size=1024):
        """The model's raw outputs [rows, classes], checked: as many classes as the data, all finite."""
        outs = []
        for i in range(0, len(x), batch_size):
            xb = to_layout(np.asarray(x[i : i + batch_size], dtype=np.float32), self.layout, self.image_shape, self.input.shape)
            outs.append(np.asarray(self.session.run([self.output.name], {self.input.name: xb})[0], dtype=np.float32).reshape(len(xb), -1))
        out = np.concatenate(outs) if outs else np.zeros((0, self.classes), dtype=np.float32)
        if out.shape[1] != self.classes:
            raise SystemExit(f"{self.path}: output {self.output.name!r} gives {out.shape[1]} values per row; the data has {self.classes} classes")
        bad = np.flatnonzero(~np.isfinite(out).all(axis=1))
        if len(bad):
            raise SystemExit(f"{self.path}: output {self.output.name!r} is NaN or infinite for {len(bad)} rows (the first: row {bad[0]})")
        return out

    def to_logits(self, out):
        # As the studio: probabilities clamped at 1e-7 (core/onnx MIN_PROBABILITY) before their log.
        return np.log(np.maximum(out, 1e-7)) if self.probabilities else out

    def __call__(self, x):
        return self.to_logits(self.outputs(x))


def onnx_teacher_logits(descriptor, resolved, x_train, x_test, onnx_path, logits_path, who, logits_flag, onnx_flag, save_path=None):
    """The ONNX teacher as a function of numpy rows. As in the studio, its outputs for the data set's rows are
    computed once (probabilities or logits decided on them all) and looked up; onnxruntime runs again only for
    other rows (jittered images). With precomputed logits (logits_path) onnxruntime is not needed, without jitter."""
    if logits_path:
        return LogitsTable.load(logits_path, x_train, x_test, resolved["numClasses"])
    if ort is None:  # said before looking for the file: the file alone would not be enough
        raise SystemExit(NO_ONNXRUNTIME.format(who=who, logits_flag=logits_flag))
    run = OnnxLogits(descriptor, onnx_file(descriptor, onnx_path, onnx_flag), resolved, who, logits_flag)
    out = run.outputs(np.concatenate([x_train, x_test]))
    run.probabilities = looks_like_probabilities(out)
    if run.probabilities:
        print("The ONNX teacher outputs probabilities: their logs are its logits.", flush=True)
    logits = run.to_logits(out)
    if save_path:
        np.save(save_path, logits)
        print(f"saved the teacher's logits for {len(x_train)} training and {len(x_test)} test rows to {save_path}", flush=True)
    return LogitsTable(logits, x_train, x_test, run.path, fallback=run)
