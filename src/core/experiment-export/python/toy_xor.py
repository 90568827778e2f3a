def toy_points(d, k):
    # Class 0 where x*y > 0, class 1 elsewhere, |x| and |y| in [0.05, 1], then Gaussian noise.
    rng = np.random.default_rng(d["seed"])
    y = np.repeat(np.arange(2), class_sizes(d["size"], 2))
    flip = np.where(rng.random(d["size"]) < 0.5, -1.0, 1.0)
    a = 0.05 + 0.95 * rng.random(d["size"])
    b = 0.05 + 0.95 * rng.random(d["size"])
    x = np.stack([flip * a, np.where(y == 0, flip * b, -flip * b)], axis=1)
    x = x + d["noise"] * rng.standard_normal((d["size"], 2))
    return x, y
