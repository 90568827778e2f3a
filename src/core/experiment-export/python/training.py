def adam(params, lr):
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
    # Hinton's KL, or DKD's two terms, or the KL from ablated soft targets (distil_methods.py).
    soft = soft_term(s_logits, t_logits, y, T)
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


def distill(teacher, student, scratch, data, seed=None):
    """The distilled student and, from the same initial weights, the scratch control on the labelled rows alone,
    for as many optimiser steps; per-epoch test accuracy of both. seed: one of Repeats' seeds (else CONFIG's)."""
    o, t = CONFIG["optimiser"], CONFIG["transfer"]
    seed = CONFIG["seed"] if seed is None else seed
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
    # Transfer data (transfer_data.py): generated or mixed inputs for the distilled student; the control keeps the real rows.
    source = transfer_data_source(teacher, x, y, seed)
    lockstep = lockstep and source is None

    def inputs(idx):
        return jitter(x[idx], t["jitter"], jitter_gen) if t["jitter"] > 0 else x[idx]

    for epoch in range(1, o["epochs"] + 1):
        quant_aware_epoch(student, epoch)  # Train for uint8: fake-quantised weights in the last epochs (quant_aware.py)
        student.train()
        scratch.train()
        for pos in batches(len(rows) if source is None else source[0], o["batchSize"], gen):
            pos = pos.to(device)
            idx = rows[pos] if source is None else None
            xb, y_a, y_b, lam = (inputs(idx), y[idx], None, 1.0) if source is None else source[1](pos)
            with torch.no_grad():
                t_logits, t_feature = teacher(xb, keep=hint["teacherLayer"]) if hint else (teacher(xb), None)
            s_logits, s_feature = student(xb, keep=hint["studentLayer"]) if hint else (student(xb), None)
            hint_pair = (regressor(flat_features(s_feature)), flat_features(t_feature)) if hint else None
            lab = labelled[pos] if source is None else torch.ones(len(xb), dtype=torch.bool, device=device)
            y_a = t_logits.argmax(1) if y_a is None else y_a  # generated inputs: the teacher's arg-max is the label
            loss = student_loss(s_logits, t_logits, y_a, lab, hint_pair)
            if y_b is not None:  # mixup: lambda * CE(y) + (1 - lambda) * CE(y[perm]), the other terms unchanged
                loss = lam * loss + (1 - lam) * student_loss(s_logits, t_logits, y_b, lab, hint_pair)
            step(opt_student, loss)
            # With every row labelled the control steps on the same batches; else it cycles through the labelled rows.
            s_idx = idx if lockstep else next(scratch_batches)
            step(opt_scratch, F.cross_entropy(scratch(xb if lockstep else inputs(s_idx)), y[s_idx]))
        d_logits, s_logits_test = predict(student, x_test), predict(scratch, x_test)
        line = f"epoch {epoch}/{o['epochs']}: distilled {accuracy(d_logits, y_test):.2%}  scratch {accuracy(s_logits_test, y_test):.2%}"
        if t["omitClass"] is not None:
            on = y_test == t["omitClass"]
            line += f"  (omitted class {t['omitClass']}: distilled {accuracy(d_logits[on], y_test[on]):.2%}, scratch {accuracy(s_logits_test[on], y_test[on]):.2%})"
        print(line, flush=True)
    return teacher_acc, accuracy(d_logits, y_test), accuracy(s_logits_test, y_test)
