def class_sizes(n, k):
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def add_data_arguments(parser):
    """The toy set is generated from CONFIG["data"]: no file to pass."""


def load_data(args):
    d = CONFIG["data"]
    k = CONFIG["resolved"]["numClasses"]
    x, y = toy_points(d, k)
    return split_and_scale(x, y, CONFIG["resolved"]["testFraction"], d["seed"], "none")
