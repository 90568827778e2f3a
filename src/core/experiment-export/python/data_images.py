def add_data_arguments(parser):
    parser.add_argument("--data", default=os.path.splitext(CONFIG["data"]["fileName"])[0], help="folder with one sub-folder of images per class")


def load_data(args):
    d = CONFIG["data"]
    steps = [transforms.Resize((d["height"], d["width"]))]
    if d["channels"] == 1:
        steps.append(transforms.Grayscale(1))
    ds = torchvision.datasets.ImageFolder(args.data, transform=transforms.Compose([*steps, transforms.ToTensor()]))
    # Pixels in 0..1, flattened height, width, channels: the studio's layout.
    x = np.stack([ds[i][0].permute(1, 2, 0).reshape(-1).numpy() for i in range(len(ds))])
    y = np.array(ds.targets, dtype=np.int64)
    return split_and_scale(x, y, d["testFraction"], d["seed"], "none")
