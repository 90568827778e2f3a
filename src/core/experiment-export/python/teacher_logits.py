TEACHABLE_MACHINE = (
    "{who} is a Teachable Machine model (TensorFlow.js), which this script cannot run with PyTorch. Pass its logits "
    "precomputed as a .npy file: {flag} FILE.npy, an array [training rows + test rows, classes] holding the logits of "
    "this script's training rows, then of its test rows, in load_data()'s order, columns in the data set's class order. "
    "Or export the model from Teachable Machine as TensorFlow, convert it to ONNX (tf2onnx) and use it as an ONNX teacher in the studio."
)


class LogitsTable:
    """Precomputed teacher logits for this script's own rows, found by the rows' bytes (other rows, e.g. jittered, are refused)."""

    def __init__(self, path, x_train, x_test, classes):
        table = np.load(path)
        n = len(x_train) + len(x_test)
        if table.ndim != 2 or table.shape != (n, classes):
            raise SystemExit(f"{path} holds an array of shape {table.shape}; expected ({n}, {classes}): training rows, then test rows")
        self.table = table.astype(np.float32)
        self.rows = {}
        for i, row in enumerate(np.concatenate([x_train, x_test]).astype(np.float32)):
            self.rows.setdefault(row.tobytes(), i)
        self.path = path

    def __call__(self, x):
        found = [self.rows.get(row.tobytes()) for row in np.asarray(x, dtype=np.float32)]
        if any(i is None for i in found):
            raise SystemExit(
                f"{self.path} has logits for the data set's own rows only; the teacher was asked about other rows "
                "(jitter shifts images), which precomputed logits cannot answer: set jitter to 0, or let the script run "
                "the teacher itself (an ONNX teacher with onnxruntime installed)."
            )
        return self.table[found]
