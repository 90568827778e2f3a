def uint8_fake_quant(w, per_channel=False):
    """w on the studio's affine uint8 grid (value = q * scale + min, q in 0..255, over the tensor's own
    [min, max], or each output channel's when per_channel), min nudged onto the grid when the range spans 0
    so that 0 stays 0. JavaScript's Math.round (halves up), as the studio rounds."""
    flat = w.reshape(w.shape[0], -1) if per_channel and w.dim() > 1 else w.reshape(1, -1)
    lo, hi = flat.min(dim=1, keepdim=True).values, flat.max(dim=1, keepdim=True).values
    spans = hi > lo
    scale = torch.where(spans, (hi - lo) / 255, torch.ones_like(lo))
    nudged = torch.where((lo < 0) & (hi > 0), -torch.floor(-lo / scale + 0.5) * scale, lo)
    q = torch.clamp(torch.floor((flat - nudged) / scale + 0.5), 0, 255)
    return torch.where(spans, q * scale + nudged, lo.expand_as(flat)).reshape(w.shape)


class FakeQuantUint8(nn.Module):
    """The forward pass sees the uint8 weights; the gradient passes straight through to the float ones
    (every weight lies inside its own range, so none is clipped)."""

    def __init__(self, per_channel):
        super().__init__()
        self.per_channel = per_channel

    def forward(self, w):
        return w + (uint8_fake_quant(w.detach(), self.per_channel) - w).detach()


def quant_aware_epoch(student, epoch):
    """Train for uint8: from the first of the last quantAware.lastEpochs epochs on, every weight and bias of
    the distilled student is fake-quantised in its forward pass (the optimiser keeps updating the float
    weights: the same parameters, now under a parametrisation). PyTorch's Conv2d keeps its output channels
    first, as the per-channel grid needs; the TF.js Dense kernel is [in, out], so a Linear's rows are its channels."""
    q = CONFIG.get("quantAware")
    if not q or epoch != CONFIG["optimiser"]["epochs"] - q["lastEpochs"] + 1:
        return
    if q["activations"]:
        raise SystemExit(
            "quantAware.activations (Quantise activations) is not implemented in this script: the studio fake-quantises "
            "hidden outputs with ranges learned in training; set it to false in CONFIG to train the weights for uint8."
        )
    from torch.nn.utils import parametrize

    # The modules as they are now: a parametrisation adds modules of its own.
    for module in list(student.modules()):
        for name, _ in list(module.named_parameters(recurse=False)):
            parametrize.register_parametrization(module, name, FakeQuantUint8(q["perChannel"]))
    print(f"epoch {epoch}: training for uint8 from here on ({'per channel' if q['perChannel'] else 'per tensor'})", flush=True)


def float_and_uint8_accuracy(student, data):
    """The distilled student's test accuracy with its uint8 weights (as trained for them), then with its float weights."""
    from torch.nn.utils import parametrize

    uint8 = accuracy(predict(student, data["x_test"]), data["y_test"])
    for module in list(student.modules()):
        if parametrize.is_parametrized(module):
            for name in list(module.parametrizations.keys()):
                parametrize.remove_parametrizations(module, name, leave_parametrized=False)
    return accuracy(predict(student, data["x_test"]), data["y_test"]), uint8
