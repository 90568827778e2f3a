def add_data_arguments(parser):
    parser.add_argument("--data-root", default="data", help="where torchvision keeps (or downloads) MNIST")
    parser.add_argument("--mnist-10k", action="store_true", help="use the first 10,000 training digits, split 8,000/2,000 as in the studio")


def load_data(args):
    def rows(train):
        ds = torchvision.datasets.MNIST(args.data_root, train=train, download=True)
        return ds.data.reshape(len(ds.data), -1).numpy().astype(np.float32) / 255, ds.targets.numpy()

    x_train, y_train = rows(True)
    x_test, y_test = rows(False)
    if args.mnist_10k:
        x, y = x_train[:10000], y_train[:10000]
        train, test = stratified_split(y, 0.2, CONFIG["seed"])
        x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
