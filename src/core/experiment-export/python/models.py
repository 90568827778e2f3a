ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class Dense(nn.Module):
    """A Keras Dense layer: the linear map and its activation count as one layer, as in the studio's layer indexes."""

    def __init__(self, n_in, n_out, activation=None):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)
        self.activation = activation

    def forward(self, x):
        x = self.linear(x)
        return ACTIVATIONS[self.activation](x) if self.activation else x


class ToImage(nn.Module):
    """Rows of pixels stored height, width, channels (the studio's layout) to PyTorch's channels-first images."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        h, w, c = self.shape
        return x.reshape(-1, h, w, c).permute(0, 3, 1, 2)


class Conv(nn.Module):
    """A Keras Conv2D with padding 'same' and its ReLU, as one layer."""

    def __init__(self, c_in, c_out, kernel_size):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size, padding="same")

    def forward(self, x):
        return torch.relu(self.conv(x))


def flat_features(t):
    """A layer's output as rows, images flattened channels-last as Keras (and so the studio) flattens them."""
    return (t.permute(0, 2, 3, 1) if t.dim() == 4 else t).flatten(1)


class Flatten(nn.Module):
    def forward(self, x):
        return flat_features(x)


class LayerList(nn.Module):
    """A sequential model whose layers are numbered as the studio (tfjs) numbers them, so hint indexes carry over."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x, keep=None):
        kept = None
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i == keep:
                kept = x
        return x if keep is None else (x, kept)


def glorot(module):
    """Glorot-uniform weights and zero biases: the Keras defaults the studio uses (PyTorch's own defaults differ)."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return module


def build_model(spec):
    r = CONFIG["resolved"]
    layers = []
    if spec["kind"] == "mlp":
        width = r["numFeatures"]
        for units in spec["hidden"]:
            layers.append(Dense(width, units, spec["activation"]))
            if spec["dropout"] > 0:
                layers.append(nn.Dropout(spec["dropout"]))
            width = units
    else:
        h, w, c = r["imageShape"]
        layers.append(ToImage(r["imageShape"]))
        for filters in spec["filters"]:
            layers.append(Conv(c, filters, spec["kernelSize"]))
            layers.append(nn.MaxPool2d(2))
            h, w, c = h // 2, w // 2, filters
        layers.append(Flatten())
        layers.append(Dense(h * w * c, spec["dense"], "relu"))
        if spec["dropout"] > 0:
            layers.append(nn.Dropout(spec["dropout"]))
        width = spec["dense"]
    layers.append(Dense(width, r["numClasses"]))
    return glorot(LayerList(layers))
