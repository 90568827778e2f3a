import type { DataDescriptor } from '../experiment';

/**
 * The Python that loads each kind of data set as the studio prepares it (same split rule, same
 * scaling, same class order), and what it needs imported. Only the chosen kind's code goes into a
 * script, so torchvision and scikit-learn are imported only where the data needs them.
 */
export interface DataCode {
  imports: string[];
  /** Lines of the module docstring about where the data comes from. */
  about: string[];
  /** add_argument calls for the data's paths. */
  args: string;
  /** Defines load_data(args) -> dict of x_train, y_train, x_test, y_test (numpy; rows of features). */
  code: string;
}

/** The studio's default test share for data sets whose descriptor has none (Iris, toy sets). */
export const DEFAULT_TEST_FRACTION = 0.2;

export function dataCode(d: DataDescriptor): DataCode {
  switch (d.kind) {
    case 'mnist':
      return {
        imports: ['import torchvision'],
        about: [
          'Data: MNIST from torchvision (60,000 training and 10,000 test digits). The studio used',
          'MNIST-10k, the first 10,000 training digits split 8,000/2,000 (stratified); --mnist-10k takes',
          'the same number of digits by the same rule (not the same rows), so the accuracies compare.',
        ],
        args: String.raw`    parser.add_argument("--data-root", default="data", help="where torchvision keeps (or downloads) MNIST")
    parser.add_argument("--mnist-10k", action="store_true", help="use the first 10,000 training digits, split 8,000/2,000 as in the studio")`,
        code: MNIST,
      };
    case 'iris':
      return {
        imports: ['from sklearn.datasets import load_iris'],
        about: ["Data: Fisher's Iris from scikit-learn, a seeded stratified 20% held out for testing, standardised", 'with training-split statistics, as in the studio.'],
        args: '',
        code: IRIS,
      };
    case 'toy':
      return {
        imports: TOY_SKLEARN[d.toy] ? [`from sklearn.datasets import ${TOY_SKLEARN[d.toy]}`] : [],
        about: ['Data: the studio\'s 2-D toy set, regenerated here with the same parameters (scikit-learn\'s make_* where it', 'has one); the points are not the same draws as in the browser.'],
        args: '',
        code: toyCode(d.toy),
      };
    case 'csv':
      return {
        imports: ['import csv', 'import io'],
        about: ['Data: the CSV file named in CONFIG["data"] (pass its path with --data), label column and', 'normalisation as in the studio.'],
        args: String.raw`    parser.add_argument("--data", default=CONFIG["data"]["fileName"], help="the CSV file")
    parser.add_argument("--test-data", default=CONFIG["data"].get("testFileName"), help="the test CSV file, when the studio had one")`,
        code: CSV,
      };
    case 'images':
      return {
        imports: ['import os', 'import torchvision', 'from torchvision import transforms'],
        about: [
          'Data: the image archive named in CONFIG["data"], unzipped: pass the folder that holds one sub-folder',
          "per class with --data (torchvision's ImageFolder). Images are resized to the studio's size.",
        ],
        args: String.raw`    parser.add_argument("--data", default=os.path.splitext(CONFIG["data"]["fileName"])[0], help="folder with one sub-folder of images per class")`,
        code: IMAGES,
      };
  }
}

const MNIST = String.raw`def load_data(args):
    def rows(train):
        ds = torchvision.datasets.MNIST(args.data_root, train=train, download=True)
        return ds.data.reshape(len(ds.data), -1).numpy().astype(np.float32) / 255, ds.targets.numpy()

    x_train, y_train = rows(True)
    x_test, y_test = rows(False)
    if args.mnist_10k:
        x, y = x_train[:10000], y_train[:10000]
        train, test = stratified_split(y, 0.2, CONFIG["seed"])
        x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}`;

const IRIS = String.raw`def load_data(args):
    x, y = load_iris(return_X_y=True)
    return split_and_scale(x, y, CONFIG["resolved"]["testFraction"], CONFIG["data"]["seed"], "standardise")`;

const TOY_SKLEARN: Record<string, string | undefined> = { moons: 'make_moons', circles: 'make_circles', blobs: 'make_blobs' };

const TOY_POINTS: Record<string, string> = {
  moons: String.raw`    x, y = make_moons(n_samples=d["size"], noise=d["noise"], random_state=d["seed"])
    x = x - np.array([0.5, 0.25])  # the studio centres the pair on the origin`,
  circles: String.raw`    x, y = make_circles(n_samples=d["size"], noise=d["noise"], factor=0.5, random_state=d["seed"])`,
  blobs: String.raw`    # Centres evenly round the unit circle with spread 0.25, plus the noise, as in the studio.
    angles = 2 * np.pi * np.arange(k) / k
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    x, y = make_blobs(n_samples=class_sizes(d["size"], k), centers=centres, cluster_std=math.sqrt(0.25**2 + d["noise"] ** 2), random_state=d["seed"])`,
  spiral: String.raw`    # One turn per arm, arms evenly spaced (the studio's formula), then Gaussian noise.
    rng = np.random.default_rng(d["seed"])
    parts = []
    for c, m in enumerate(class_sizes(d["size"], k)):
        r = (np.arange(m) + 0.5) / m
        t = 2 * np.pi * c / k + 2 * np.pi * r
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    x = np.concatenate(parts) + d["noise"] * rng.standard_normal((d["size"], 2))
    y = np.repeat(np.arange(k), class_sizes(d["size"], k))`,
  xor: String.raw`    # Class 0 where x*y > 0, class 1 elsewhere, |x| and |y| in [0.05, 1], then Gaussian noise.
    rng = np.random.default_rng(d["seed"])
    y = np.repeat(np.arange(2), class_sizes(d["size"], 2))
    flip = np.where(rng.random(d["size"]) < 0.5, -1.0, 1.0)
    a = 0.05 + 0.95 * rng.random(d["size"])
    b = 0.05 + 0.95 * rng.random(d["size"])
    x = np.stack([flip * a, np.where(y == 0, flip * b, -flip * b)], axis=1)
    x = x + d["noise"] * rng.standard_normal((d["size"], 2))`,
};

function toyCode(toy: string): string {
  return String.raw`def class_sizes(n, k):
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def load_data(args):
    d = CONFIG["data"]
    k = CONFIG["resolved"]["numClasses"]
${TOY_POINTS[toy]}
    return split_and_scale(x, y, CONFIG["resolved"]["testFraction"], d["seed"], "none")`;
}

const CSV = String.raw`def is_number(cell):
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def read_csv(path, label_column):
    """Feature rows and label strings; comma, semicolon or tab, and a header row of names, detected as the studio does."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in r)]
    if not rows or label_column >= len(rows[0]):
        raise SystemExit(f"{path}: no column {label_column} to read labels from")
    if not all(is_number(c) for j, c in enumerate(rows[0]) if j != label_column):
        rows = rows[1:]
    x = np.array([[float(c) for j, c in enumerate(r) if j != label_column] for r in rows], dtype=np.float64)
    return x, [r[label_column].strip() for r in rows]


def class_index(labels):
    """Label -> index, sorted as the studio sorts: as numbers when every label is one ("2" before "10"), else by code point."""
    if all(is_number(s) for s in labels):
        keys = sorted({float(s) for s in labels})
        return lambda s: keys.index(float(s)) if is_number(s) and float(s) in keys else -1
    names = sorted(set(labels))
    return lambda s: names.index(s) if s in names else -1


def load_data(args):
    d = CONFIG["data"]
    x, labels = read_csv(args.data, d["labelColumn"])
    index = class_index(labels)
    y = np.array([index(s) for s in labels], dtype=np.int64)
    if args.test_data:
        x_test, test_labels = read_csv(args.test_data, d["labelColumn"])
        y_test = np.array([index(s) for s in test_labels], dtype=np.int64)
        if (y_test < 0).any():
            raise SystemExit(f"{args.test_data}: a label that the training file does not have")
        offset, scale = fit_scaling(x, d["normalisation"])
        return {"x_train": (x - offset) / scale, "y_train": y, "x_test": (x_test - offset) / scale, "y_test": y_test}
    return split_and_scale(x, y, d["testFraction"], d["seed"], d["normalisation"])`;

const IMAGES = String.raw`def load_data(args):
    d = CONFIG["data"]
    steps = [transforms.Resize((d["height"], d["width"]))]
    if d["channels"] == 1:
        steps.append(transforms.Grayscale(1))
    ds = torchvision.datasets.ImageFolder(args.data, transform=transforms.Compose([*steps, transforms.ToTensor()]))
    # Pixels in 0..1, flattened height, width, channels: the studio's layout.
    x = np.stack([ds[i][0].permute(1, 2, 0).reshape(-1).numpy() for i in range(len(ds))])
    y = np.array(ds.targets, dtype=np.int64)
    return split_and_scale(x, y, d["testFraction"], d["seed"], "none")`;
