METHOD = CONFIG["loss"].get("method") or {"method": "hinton"}
SOFT_TARGETS = CONFIG["loss"].get("softTargets", "teacher")
# Its own stream, so that the shuffle is the same on every run of this script (not the studio's numbers).
SOFT_TARGET_GEN = torch.Generator().manual_seed(CONFIG["seed"] + 3)

if METHOD["method"] == "dkd" or SOFT_TARGETS != "teacher":
    # As the studio refuses them (src/core/method-rules.ts): both split the teacher's outputs at each row's true label.
    if SOFT_TARGETS != "teacher" and METHOD["method"] != "hinton":
        raise SystemExit("Soft-target ablations apply to Hinton KD only.")
    if CONFIG["transfer"]["labelledFraction"] < 1 or CONFIG["transfer"].get("data", {"kind": "training"})["kind"] != "training":
        raise SystemExit("DKD and the soft-target ablations need every training row's true label (labelled fraction 1, the training set).")


def dkd_terms(s_logits, t_logits, y, T):
    """Decoupled KD (Zhao et al. 2022) as mdistiller and src/core/dkd.ts compute it: TCKD, the KL between the binary
    [p_target, 1 - p_target] distributions, and NCKD, the KL over the non-target classes renormalised (the true
    class masked with -1000 before the softmax). Batch means, without T^2."""
    gt = F.one_hot(y, s_logits.shape[1]).to(s_logits.dtype)

    def binary_logs(z):
        lse = torch.logsumexp(z, dim=1)
        return (z * gt).sum(dim=1) - lse, torch.logsumexp(z - 1000.0 * gt, dim=1) - lse

    zt, zs = t_logits / T, s_logits / T
    t_target, t_rest = binary_logs(zt)
    s_target, s_rest = binary_logs(zs)
    tckd = t_target.exp() * (t_target - s_target) + t_rest.exp() * (t_rest - s_rest)
    log_qt = F.log_softmax(zt - 1000.0 * gt, dim=1)
    log_qs = F.log_softmax(zs - 1000.0 * gt, dim=1)
    nckd = (log_qt.exp() * (log_qt - log_qs)).sum(dim=1)
    return tckd.mean(), nckd.mean()


def ablated_targets(t_logits, y, T, kind):
    """The teacher's probabilities at T with the true class's kept: "shuffled" permutes the rest of each row among
    the wrong classes, "smoothed" spreads it evenly over them (src/core/soft-targets.ts)."""
    p = F.softmax(t_logits / T, dim=1)
    n, k = p.shape
    gt = F.one_hot(y, k).bool()
    if kind == "smoothed":
        p_target = p[gt].unsqueeze(1)
        return torch.where(gt, p_target, (1 - p_target) / (k - 1))
    # Column orders with the true class first: the wrong classes ascending (where values go) and shuffled (where they come from).
    ranks = torch.arange(k, device=p.device, dtype=p.dtype).expand(n, k)
    to = torch.where(gt, -1.0, ranks).argsort(dim=1)
    keys = torch.rand(n, k, generator=SOFT_TARGET_GEN).to(p.device)
    source = torch.where(gt, -1.0, keys).argsort(dim=1)
    return torch.empty_like(p).scatter_(1, to, p.gather(1, source))


def soft_term(s_logits, t_logits, y, T):
    """The soft term before alpha and T^2: Hinton's KL, DKD's dkdAlpha * TCKD + dkdBeta * NCKD, or the KL from the
    ablated targets."""
    if METHOD["method"] == "dkd":
        tckd, nckd = dkd_terms(s_logits, t_logits, y, T)
        return METHOD["dkdAlpha"] * tckd + METHOD["dkdBeta"] * nckd
    log_ps = F.log_softmax(s_logits / T, dim=1)
    if SOFT_TARGETS != "teacher":
        q = ablated_targets(t_logits, y, T, SOFT_TARGETS)
        return (q * (q.clamp_min(1e-30).log() - log_ps)).sum(dim=1).mean()
    log_pt = F.log_softmax(t_logits / T, dim=1)
    return (log_pt.exp() * (log_pt - log_ps)).sum(dim=1).mean()
