def toy_points(d, k):
    x, y = make_moons(n_samples=d["size"], noise=d["noise"], random_state=d["seed"])
    x = x - np.array([0.5, 0.25])  # the studio centres the pair on the origin
    return x, y
