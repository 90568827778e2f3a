def toy_points(d, k):
    x, y = make_circles(n_samples=d["size"], noise=d["noise"], factor=0.5, random_state=d["seed"])
    return x, y
