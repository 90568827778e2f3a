def toy_points(d, k):
    # One turn per arm, arms evenly spaced (the studio's formula), then Gaussian noise.
    rng = np.random.default_rng(d["seed"])
    parts = []
    for c, m in enumerate(class_sizes(d["size"], k)):
        r = (np.arange(m) + 0.5) / m
        t = 2 * np.pi * c / k + 2 * np.pi * r
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    x = np.concatenate(parts) + d["noise"] * rng.standard_normal((d["size"], 2))
    y = np.repeat(np.arange(k), class_sizes(d["size"], k))
    return x, y
