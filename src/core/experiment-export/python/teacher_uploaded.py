def get_teacher(data, args):
    # The teacher was uploaded to the studio as a TensorFlow.js model: its architecture lives in that
    # file, not in the experiment. Rebuild it in PyTorch (or convert it), save it with torch.jit.save
    # and pass it as --teacher-checkpoint: it must map rows of features to logits.
    if not args.teacher_checkpoint:
        raise SystemExit(
            "The teacher was uploaded to the studio, so this script cannot rebuild it: "
            "load your own checkpoint here, or pass --teacher-checkpoint with a TorchScript model that maps feature rows to logits."
        )
    return torch.jit.load(args.teacher_checkpoint, map_location=data["x_train"].device)
