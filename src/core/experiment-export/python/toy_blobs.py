def toy_points(d, k):
    # Centres evenly round the unit circle with spread 0.25, plus the noise, as in the studio.
    angles = 2 * np.pi * np.arange(k) / k
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    x, y = make_blobs(n_samples=class_sizes(d["size"], k), centers=centres, cluster_std=math.sqrt(0.25**2 + d["noise"] ** 2), random_state=d["seed"])
    return x, y
