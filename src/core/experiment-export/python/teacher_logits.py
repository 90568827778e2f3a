TEACHABLE_MACHINE = (
    "{who} is a Teachable Machine model (TensorFlow.js), which this script cannot run with PyTorch. Pass its logits "
    "precomputed as a .npy file: {flag} FILE.npy, an array [training rows + test rows, classes] holding the logits of "
    "this script's training rows, then of its test rows, in load_data()'s order, columns in the data set's class order. "
    "Or export the model from Teachable Machine as TensorFlow, convert it to ONNX (tf2onnx) and use it as an ONNX teacher in the studio."
)


def row_key(row):
    """A row's identity: its float32 bytes, hashed to 16 bytes so that a big data set's keys stay small."""
    return hashlib.blake2b(np.ascontiguousarray(row, dtype=np.float32).tobytes(), digest_size=16).digest()


class LogitsTable:
    """The teacher's logits for this script's own rows (training, then test), found by the rows' bytes. Other rows
    (jittered images) go to `fallback`, the teacher itself, when there is one, and are refused otherwise."""

    def __init__(self, table, x_train, x_test, source, fallback=None):
        n = len(x_train) + len(x_test)
        if table.ndim != 2 or len(table) != n:
            raise SystemExit(f"{source} holds an array of shape {table.shape}; expected ({n}, classes): training rows, then test rows")
        self.table = np.asarray(table, dtype=np.float32)
        self.rows = {}
        for i, row in enumerate(np.concatenate([x_train, x_test])):
            self.rows.setdefault(row_key(row), i)
        self.source = source
        self.fallback = fallback

    @classmethod
    def load(cls, path, x_train, x_test, classes):
        table = np.load(path)
        if table.ndim != 2 or table.shape[1] != classes:
            raise SystemExit(f"{path} holds an array of shape {table.shape}; expected ({len(x_train) + len(x_test)}, {classes}): training rows, then test rows")
        return cls(table, x_train, x_test, path)

    def __call__(self, x):
        found = [self.rows.get(row_key(row)) for row in x]
        missing = [j for j, i in enumerate(found) if i is None]
        if not missing:
            return self.table[found]
        if self.fallback is None:
            raise SystemExit(
                f"{self.source} has logits for the data set's own rows only; the teacher was asked about other rows "
                "(jitter shifts images), which precomputed logits cannot answer: set jitter to 0, or let the script run "
                "the teacher itself (an ONNX teacher with onnxruntime installed)."
            )
        out = np.empty((len(x), self.table.shape[1]), dtype=np.float32)
        known = [j for j, i in enumerate(found) if i is not None]
        out[known] = self.table[[found[j] for j in known]]
        out[missing] = self.fallback(np.asarray(x)[missing])
        return out
