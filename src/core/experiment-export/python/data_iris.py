def add_data_arguments(parser):
    """Iris comes with scikit-learn: no file to pass."""


def load_data(args):
    x, y = load_iris(return_X_y=True)
    return split_and_scale(x, y, CONFIG["resolved"]["testFraction"], CONFIG["data"]["seed"], "standardise")
