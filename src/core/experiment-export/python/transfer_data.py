def transfer_data_source(teacher, x, y, seed):
    """Transfer data other than the training set (src/core/transfer-data): None for the training set, else
    (rows per epoch, batch(positions) -> (inputs, labels a, labels b, lambda)). Labels None: the teacher's
    arg-max is the hard label (no real label is used); mixup's hard term is lambda * CE(a) + (1 - lambda) * CE(b)."""
    d = CONFIG["transfer"].get("data") or {"kind": "training"}
    if d["kind"] == "training":
        return None
    rng = np.random.default_rng(seed + 3)
    if d["kind"] == "gaussian":
        # Per-feature mean and standard deviation of the training set: no real row reaches the student.
        mean, std = x.mean(0), x.std(0, unbiased=False)

        def gaussian(pos):
            noise = torch.from_numpy(rng.standard_normal((len(pos), x.shape[1]), dtype=np.float32)).to(x.device)
            return mean + std * noise, None, None, 1.0

        return len(x), gaussian
    if d["kind"] == "mixup":
        # Beyer et al.'s function matching: teacher and student see the same mixture of the batch and a shuffle of it.
        def mixup(pos):
            lam = float(rng.beta(d["alpha"], d["alpha"]))
            perm = torch.from_numpy(rng.permutation(len(pos))).to(x.device)
            xa, ya = x[pos], y[pos]
            return lam * xa + (1 - lam) * xa[perm], ya, ya[perm], lam

        return len(x), mixup
    xs = synthesise(teacher, x, d["perClass"], d["steps"], seed)
    return len(xs), lambda pos: (xs[pos], None, None, 1.0)


def synthesise(teacher, x, per_class, steps, seed, batch_size=64, lr=0.05, w_div=1.0, w_tv=0.5, w_bn=0.05):
    """Data-free inputs, DeepInversion-style (core/transfer-data/synthesise.ts): Adam on the inputs against the frozen
    teacher, row i towards class i mod classes, minimising CE(teacher(x), class) - w_div * mean squared distance between
    the softmax outputs of same-class rows + w_tv * total variation (images) + w_bn * sum over BatchNorm layers of
    |batch mean - running mean|^2 + |batch variance - running variance|^2; clipped to the training set's range."""
    if not isinstance(teacher, nn.Module) or not any(True for _ in teacher.parameters()):
        raise SystemExit("Synthesised transfer data needs a PyTorch teacher with gradients (not ONNX, Teachable Machine or an ensemble).")
    r = CONFIG["resolved"]
    k, shape = r["numClasses"], r["imageShape"]
    lo, hi = x.min(0).values, x.max(0).values
    mean, std = x.mean(0), x.std(0, unbiased=False)
    gen = torch.Generator().manual_seed(seed + 4)
    classes = torch.arange(k * per_class, device=x.device) % k
    bn_inputs = []
    hooks = [
        m.register_forward_hook(lambda m, inp, out: bn_inputs.append((m, inp[0])))
        for m in teacher.modules()
        if isinstance(m, nn.modules.batchnorm._BatchNorm)
    ]
    teacher.eval()
    grads = [p.requires_grad for p in teacher.parameters()]
    for p in teacher.parameters():
        p.requires_grad_(False)
    made = []
    try:
        for start in range(0, len(classes), batch_size):
            c = classes[start : start + batch_size]
            xb = (mean + std * torch.randn(len(c), x.shape[1], generator=gen).to(x.device)).clamp(lo, hi).requires_grad_(True)
            opt = torch.optim.Adam([xb], lr=lr)
            same = ((c[:, None] == c[None, :]) & ~torch.eye(len(c), dtype=torch.bool, device=x.device)).float()
            for s in range(1, steps + 1):
                bn_inputs.clear()
                log_p = F.log_softmax(teacher(xb), dim=1)
                confidence = F.nll_loss(log_p, c)
                p = log_p.exp()
                sq = (p * p).sum(1)
                dist = sq[:, None] + sq[None, :] - 2 * p @ p.T
                diversity = -(dist * same).sum() / same.sum().clamp(min=1)
                tv = xb.new_zeros(())
                if shape is not None:
                    img = xb.view(-1, *shape)
                    tv = ((img[:, 1:] - img[:, :-1]) ** 2).mean() + ((img[:, :, 1:] - img[:, :, :-1]) ** 2).mean()
                bn = xb.new_zeros(())
                for m, a in bn_inputs:
                    dims = [i for i in range(a.dim()) if i != 1]
                    bn = bn + ((a.mean(dims) - m.running_mean) ** 2).sum() + ((a.var(dims, unbiased=False) - m.running_var) ** 2).sum()
                loss = confidence + w_div * diversity + w_tv * tv + w_bn * bn
                opt.zero_grad()
                loss.backward()
                opt.step()
                with torch.no_grad():
                    xb.copy_(torch.maximum(torch.minimum(xb, hi), lo))
                if s == steps:
                    print(f"synthesised rows {start + len(c)}/{len(classes)}: confidence {confidence.item():.3f}, diversity {diversity.item():.3f}, tv {tv.item():.4f}, bn {bn.item():.4f}", flush=True)
            made.append(xb.detach())
    finally:
        for h in hooks:
            h.remove()
        for p, g in zip(teacher.parameters(), grads):
            p.requires_grad_(g)
    return torch.cat(made)
