def to_tensors(data, device):
    out = {k: torch.as_tensor(np.asarray(v, dtype=np.int64 if k.startswith("y") else np.float32)).to(device) for k, v in data.items()}
    r = CONFIG["resolved"]
    if out["x_train"].shape[1] != r["numFeatures"] or int(out["y_train"].max()) >= r["numClasses"]:
        raise SystemExit(
            f"The data has {out['x_train'].shape[1]} features and {int(out['y_train'].max()) + 1} classes; "
            f"the experiment was exported for {r['numFeatures']} features and {r['numClasses']} classes."
        )
    return out


def main():
    args = parse_args()
    device = torch.device(args.device)
    data = to_tensors(load_data(args), device)
    # Born-again and mutual learning train other models than one student (born_again_mutual.py); mutual learning has no teacher.
    if other_method() == "mutual":
        return mutual_learning(data)
    teacher = get_teacher(data, args).to(device)
    if other_method() == "born-again":
        return born_again(teacher, data)
    # Repeats: seeds seed, seed + 1, ... as the studio runs them, one teacher for all; each seed's students anew.
    repeats = CONFIG.get("repeats", 1)
    results = []
    for i, seed in enumerate(range(CONFIG["seed"], CONFIG["seed"] + repeats)):
        if repeats > 1:
            print(f"\nseed {seed} ({i + 1} of {repeats})", flush=True)
        set_seed(seed)
        student = build_student().to(device)
        scratch = copy.deepcopy(student)  # the control starts from the very same weights
        teacher_acc, distilled_acc, scratch_acc = distill(teacher, student, scratch, data, seed)
        if CONFIG.get("quantAware"):
            float_acc, uint8_acc = float_and_uint8_accuracy(student, data)
            print(f"distilled student trained for uint8: {uint8_acc:.2%} with uint8 weights, {float_acc:.2%} with its float32 weights")
        print(
            f"final test accuracy: teacher {teacher_acc:.2%}, distilled student {distilled_acc:.2%}, "
            f"scratch control {scratch_acc:.2%} ({(distilled_acc - scratch_acc) * 100:+.2f} points from distillation)"
        )
        results.append((seed, teacher_acc, distilled_acc, scratch_acc))
    if repeats > 1:
        report_repeats(results)


if __name__ == "__main__":
    main()
