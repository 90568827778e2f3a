/**
 * The parts of an exported PyTorch script that do not depend on the experiment: everything here reads
 * CONFIG. Each mirrors a piece of the studio's engine (named in the comments) so that a reader can
 * check one against the other.
 */

/** Seeds, the stratified split and feature scaling (src/core/data/split.ts, normalise.ts). */
export const DATA_HELPERS = String.raw`def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def stratified_split(y, test_fraction, seed):
    """Train and test row indices: each class gives the test set its share (largest remainders), as the studio splits."""
    n = len(y)
    n_test = min(n - 1, max(1, math.floor(n * test_fraction + 0.5)))
    classes = np.unique(y)
    exact = np.array([(y == c).sum() for c in classes]) * n_test / n
    quota = np.floor(exact).astype(int)
    by_remainder = sorted(range(len(classes)), key=lambda i: (quota[i] - exact[i], i))
    for i in by_remainder[: n_test - quota.sum()]:
        quota[i] += 1
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c, q in zip(classes, quota):
        rows = rng.permutation(np.flatnonzero(y == c))
        test.extend(rows[:q])
        train.extend(rows[q:])
    return np.sort(np.array(train, dtype=np.int64)), np.sort(np.array(test, dtype=np.int64))


def fit_scaling(x_train, kind):
    """Offset and scale from the training rows only; a constant column gets scale 1, not 0."""
    if kind == "none":
        return np.zeros(x_train.shape[1]), np.ones(x_train.shape[1])
    lo, hi = x_train.min(axis=0), x_train.max(axis=0)
    if kind == "0-1":
        return lo, np.where(hi > lo, hi - lo, 1.0)
    return x_train.mean(axis=0), np.where(hi > lo, x_train.std(axis=0), 1.0)


def split_and_scale(x, y, test_fraction, seed, normalisation):
    train, test = stratified_split(y, test_fraction, seed)
    offset, scale = fit_scaling(x[train], normalisation)
    return {"x_train": (x[train] - offset) / scale, "y_train": y[train], "x_test": (x[test] - offset) / scale, "y_test": y[test]}`;

/** The studio's models layer for layer (src/core/models.ts), so that hint layer indexes mean the same here. */
export const MODELS = String.raw`ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class Dense(nn.Module):
    """A Keras Dense layer: the linear map and its activation count as one layer, as in the studio's layer indexes."""

    def __init__(self, n_in, n_out, activation=None):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)
        self.activation = activation

    def forward(self, x):
        x = self.linear(x)
        return ACTIVATIONS[self.activation](x) if self.activation else x


class ToImage(nn.Module):
    """Rows of pixels stored height, width, channels (the studio's layout) to PyTorch's channels-first images."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        h, w, c = self.shape
        return x.reshape(-1, h, w, c).permute(0, 3, 1, 2)


class Conv(nn.Module):
    """A Keras Conv2D with padding 'same' and its ReLU, as one layer."""

    def __init__(self, c_in, c_out, kernel_size):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size, padding="same")

    def forward(self, x):
        return torch.relu(self.conv(x))


def flat_features(t):
    """A layer's output as rows, images flattened channels-last as Keras (and so the studio) flattens them."""
    return (t.permute(0, 2, 3, 1) if t.dim() == 4 else t).flatten(1)


class Flatten(nn.Module):
    def forward(self, x):
        return flat_features(x)


class LayerList(nn.Module):
    """A sequential model whose layers are numbered as the studio (tfjs) numbers them, so hint indexes carry over."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x, keep=None):
        kept = None
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i == keep:
                kept = x
        return x if keep is None else (x, kept)


def glorot(module):
    """Glorot-uniform weights and zero biases: the Keras defaults the studio uses (PyTorch's own defaults differ)."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return module


def build_model(spec):
    r = CONFIG["resolved"]
    layers = []
    if spec["kind"] == "mlp":
        width = r["numFeatures"]
        for units in spec["hidden"]:
            layers.append(Dense(width, units, spec["activation"]))
            if spec["dropout"] > 0:
                layers.append(nn.Dropout(spec["dropout"]))
            width = units
    else:
        h, w, c = r["imageShape"]
        layers.append(ToImage(r["imageShape"]))
        for filters in spec["filters"]:
            layers.append(Conv(c, filters, spec["kernelSize"]))
            layers.append(nn.MaxPool2d(2))
            h, w, c = h // 2, w // 2, filters
        layers.append(Flatten())
        layers.append(Dense(h * w * c, spec["dense"], "relu"))
        if spec["dropout"] > 0:
            layers.append(nn.Dropout(spec["dropout"]))
        width = spec["dense"]
    layers.append(Dense(width, r["numClasses"]))
    return glorot(LayerList(layers))`;

/** Training, the transfer set, jitter and the loss (src/core/trainer.ts, transfer.ts, losses.ts, hint.ts). */
export const TRAINING = String.raw`def adam(params, lr):
    # tfjs's Adam defaults; PyTorch's epsilon would be 1e-8.
    return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-7)


def step(optimizer, loss):
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def batches(n, batch_size, gen):
    """One epoch of shuffled batches; the last one may be short."""
    order = torch.randperm(n, generator=gen)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def cycling_batches(rows, size, gen):
    """Endless whole batches over rows, reshuffled at every pass: the scratch control's steps on a labelled fraction."""
    while True:
        order = rows[torch.randperm(len(rows), generator=gen).to(rows.device)]
        for i in range(0, len(order) - size + 1, size):
            yield order[i : i + size]


@torch.no_grad()
def predict(model, x, batch_size=1024):
    model.eval()
    return torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])


def accuracy(logits, y):
    return (logits.argmax(dim=1) == y).float().mean().item() if len(y) else float("nan")


def train_plain(model, data, t, name):
    """Cross-entropy on every training row: how the studio trains a teacher."""
    x, y = data["x_train"], data["y_train"]
    optimizer = adam(model.parameters(), t["learningRate"])
    gen = torch.Generator().manual_seed(t["seed"])
    for epoch in range(1, t["epochs"] + 1):
        model.train()
        for idx in batches(len(y), t["batchSize"], gen):
            idx = idx.to(x.device)
            step(optimizer, F.cross_entropy(model(x[idx]), y[idx]))
        acc = accuracy(predict(model, data["x_test"]), data["y_test"])
        print(f"{name} epoch {epoch}/{t['epochs']}: test accuracy {acc:.2%}", flush=True)


def transfer_set(y, seed):
    """Rows the students see (the omitted class dropped) and a mask of those that keep their labels:
    a seeded share of each class, at least one row per class."""
    t = CONFIG["transfer"]
    rows = np.flatnonzero(y != t["omitClass"]) if t["omitClass"] is not None else np.arange(len(y))
    if len(rows) == 0:
        raise SystemExit("The transfer set is empty: every training row belongs to the omitted class.")
    labelled = np.zeros(len(y), dtype=bool)
    rng = np.random.default_rng([seed, 0x1ABE1])
    for c in np.unique(y[rows]):
        members = rows[y[rows] == c]
        keep = len(members) if t["labelledFraction"] >= 1 else max(1, math.floor(len(members) * t["labelledFraction"] + 0.5))
        labelled[rng.permutation(members)[:keep]] = True
    return rows, labelled[rows]


def jitter(x, max_shift, gen):
    """Each image shifted by whole pixels in [-max_shift, max_shift] along both axes, zeros shifted in."""
    h, w, c = CONFIG["resolved"]["imageShape"]
    n = x.shape[0]
    padded = F.pad(x.reshape(n, h, w, c).permute(0, 3, 1, 2), (max_shift,) * 4)
    shifts = torch.randint(0, 2 * max_shift + 1, (n, 2), generator=gen).tolist()
    out = torch.stack([padded[i, :, dy : dy + h, dx : dx + w] for i, (dy, dx) in enumerate(shifts)])
    return out.permute(0, 2, 3, 1).reshape(n, -1)


def student_loss(s_logits, t_logits, y, labelled, hint_pair):
    """alpha * [T^2] * KL(teacher || student at T) + (1 - alpha) * CE(labelled rows) + logitMse * MSE(logits) + hint weight * MSE(regressor(student layer), teacher layer)."""
    L = CONFIG["loss"]
    T, alpha = L["temperature"], L["alpha"]
    log_pt = F.log_softmax(t_logits / T, dim=1)
    log_ps = F.log_softmax(s_logits / T, dim=1)
    soft = (log_pt.exp() * (log_pt - log_ps)).sum(dim=1).mean()
    if L["scaleByT2"]:
        soft = soft * T * T
    # The hard term sees the labelled rows only: their mean cross-entropy, 0 when the batch has none.
    hard = F.cross_entropy(s_logits[labelled], y[labelled]) if labelled.any() else s_logits.new_zeros(())
    total = alpha * soft + (1 - alpha) * hard
    if L["logitMse"] > 0:
        total = total + L["logitMse"] * F.mse_loss(s_logits, t_logits)
    if hint_pair is not None:
        mapped, target = hint_pair
        total = total + L["hint"]["weight"] * F.mse_loss(mapped, target)
    return total


def make_regressor(teacher, student, hint, x):
    """FitNets' learned linear map from the student layer's output to the teacher layer's, both flattened."""
    if not (isinstance(teacher, LayerList) and isinstance(student, LayerList)):
        raise SystemExit("The hint term reads inner layers by index: it needs teacher and student built by build_model().")
    with torch.no_grad():
        _, s_feature = student(x[:1], keep=hint["studentLayer"])
        _, t_feature = teacher(x[:1], keep=hint["teacherLayer"])
    return glorot(nn.Linear(flat_features(s_feature).shape[1], flat_features(t_feature).shape[1])).to(x.device)


def distill(teacher, student, scratch, data):
    """The distilled student and, from the same initial weights, the scratch control on the labelled rows alone,
    for as many optimiser steps; per-epoch test accuracy of both."""
    o, t, seed = CONFIG["optimiser"], CONFIG["transfer"], CONFIG["seed"]
    x, y, x_test, y_test = data["x_train"], data["y_train"], data["x_test"], data["y_test"]
    device = x.device
    rows_np, labelled_np = transfer_set(y.cpu().numpy(), seed)
    rows, labelled = torch.from_numpy(rows_np).to(device), torch.from_numpy(labelled_np).to(device)
    lockstep = bool(labelled.all())
    hint = CONFIG["loss"]["hint"] if CONFIG["loss"]["hint"] and CONFIG["loss"]["hint"]["weight"] > 0 else None
    regressor = make_regressor(teacher, student, hint, x) if hint else None
    teacher.eval()
    teacher_acc = accuracy(predict(teacher, x_test), y_test)
    print(f"teacher test accuracy {teacher_acc:.2%}", flush=True)
    params = list(student.parameters()) + (list(regressor.parameters()) if regressor else [])
    opt_student, opt_scratch = adam(params, o["learningRate"]), adam(scratch.parameters(), o["learningRate"])
    gen, jitter_gen = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed + 1)
    labelled_rows = rows[labelled]
    scratch_batches = cycling_batches(labelled_rows, min(o["batchSize"], len(labelled_rows)), torch.Generator().manual_seed(seed + 2))

    def inputs(idx):
        return jitter(x[idx], t["jitter"], jitter_gen) if t["jitter"] > 0 else x[idx]

    for epoch in range(1, o["epochs"] + 1):
        student.train()
        scratch.train()
        for pos in batches(len(rows), o["batchSize"], gen):
            pos = pos.to(device)
            idx = rows[pos]
            xb = inputs(idx)
            with torch.no_grad():
                t_logits, t_feature = teacher(xb, keep=hint["teacherLayer"]) if hint else (teacher(xb), None)
            s_logits, s_feature = student(xb, keep=hint["studentLayer"]) if hint else (student(xb), None)
            hint_pair = (regressor(flat_features(s_feature)), flat_features(t_feature)) if hint else None
            step(opt_student, student_loss(s_logits, t_logits, y[idx], labelled[pos], hint_pair))
            # With every row labelled the control steps on the same batches; else it cycles through the labelled rows.
            s_idx = idx if lockstep else next(scratch_batches)
            step(opt_scratch, F.cross_entropy(scratch(xb if lockstep else inputs(s_idx)), y[s_idx]))
        d_logits, s_logits_test = predict(student, x_test), predict(scratch, x_test)
        line = f"epoch {epoch}/{o['epochs']}: distilled {accuracy(d_logits, y_test):.2%}  scratch {accuracy(s_logits_test, y_test):.2%}"
        if t["omitClass"] is not None:
            on = y_test == t["omitClass"]
            line += f"  (omitted class {t['omitClass']}: distilled {accuracy(d_logits[on], y_test[on]):.2%}, scratch {accuracy(s_logits_test[on], y_test[on]):.2%})"
        print(line, flush=True)
    return teacher_acc, accuracy(d_logits, y_test), accuracy(s_logits_test, y_test)`;

export const MAIN = String.raw`def to_tensors(data, device):
    out = {k: torch.as_tensor(np.asarray(v, dtype=np.int64 if k.startswith("y") else np.float32)).to(device) for k, v in data.items()}
    r = CONFIG["resolved"]
    if out["x_train"].shape[1] != r["numFeatures"] or int(out["y_train"].max()) >= r["numClasses"]:
        raise SystemExit(
            f"The data has {out['x_train'].shape[1]} features and {int(out['y_train'].max()) + 1} classes; "
            f"the experiment was exported for {r['numFeatures']} features and {r['numClasses']} classes."
        )
    return out


def main():
    args = parse_args()
    device = torch.device(args.device)
    data = to_tensors(load_data(args), device)
    teacher = get_teacher(data, args).to(device)
    set_seed(CONFIG["seed"])
    student = build_student().to(device)
    scratch = copy.deepcopy(student)  # the control starts from the very same weights
    teacher_acc, distilled_acc, scratch_acc = distill(teacher, student, scratch, data)
    print(
        f"final test accuracy: teacher {teacher_acc:.2%}, distilled student {distilled_acc:.2%}, "
        f"scratch control {scratch_acc:.2%} ({(distilled_acc - scratch_acc) * 100:+.2f} points from distillation)"
    )


if __name__ == "__main__":
    main()`;
