def set_seed(seed):
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
    return {"x_train": (x[train] - offset) / scale, "y_train": y[train], "x_test": (x[test] - offset) / scale, "y_test": y[test]}
