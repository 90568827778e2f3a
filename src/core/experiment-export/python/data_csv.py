def add_data_arguments(parser):
    parser.add_argument("--data", default=CONFIG["data"]["fileName"], help="the CSV file")
    parser.add_argument("--test-data", default=CONFIG["data"].get("testFileName"), help="the test CSV file, when the studio had one")


def is_number(cell):
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
    return split_and_scale(x, y, d["testFraction"], d["seed"], d["normalisation"])
