def other_method():
    """'born-again' or 'mutual' when the experiment's method is one of them (they train other models than
    Hinton KD's one student), else None: distill() runs it."""
    method = (CONFIG["loss"].get("method") or {"method": "hinton"})["method"]
    return method if method in ("born-again", "mutual") else None


def born_again(teacher, data):
    """Born-again networks (Furlanello et al. 2018; src/core/born-again.ts): students with the teacher's architecture,
    fresh weights each; generation 1 distilled from the teacher, generation g from generation g - 1, with the run's
    loss. The scratch control trains beside generation 1 (distill() trains a control beside every generation: only
    generation 1's is reported)."""
    spec = CONFIG["resolved"]["teacherSpec"]
    if spec is None or not isinstance(teacher, LayerList):
        raise SystemExit(
            "Born-again copies the teacher's architecture, which this script knows only for a preset or shipped teacher."
        )
    generations = CONFIG["loss"].get("method", {}).get("generations", 1)  # absent only in a hand-edited CONFIG
    previous, scratch_acc, rows = teacher, None, []
    for g in range(1, generations + 1):
        print(f"\nborn-again generation {g} of {generations}, distilled from {'the teacher' if g == 1 else f'generation {g - 1}'}", flush=True)
        set_seed(CONFIG["seed"] + 1000 * g)  # each generation its own initial weights
        student = build_model(spec).to(data["x_train"].device)
        scratch = copy.deepcopy(student)
        teacher_acc, acc, s_acc = distill(previous, student, scratch, data)
        scratch_acc = s_acc if g == 1 else scratch_acc
        rows.append((g, acc))
        previous = student
    teacher_acc = accuracy(predict(teacher, data["x_test"]), data["y_test"])
    for g, acc in rows:
        print(f"generation {g}: test accuracy {acc:.2%} ({(acc - teacher_acc) * 100:+.2f} points from the teacher's {teacher_acc:.2%})")
    print(f"scratch control (the teacher's architecture, labels only): {scratch_acc:.2%}")


def mutual_learning(data):
    """Deep mutual learning (Zhang et al. 2018; src/core/mutual.ts): two students of the preset from different seeds,
    no teacher. Each step both see the same batch; each loss is (1 - alpha) * CE + alpha * [T^2] * KL(other || this) at
    temperature T, the other's predictions of the same step detached, and both are updated from them. The scratch
    control (student 1's initial weights, labels only) trains beside them."""
    o, L, t = CONFIG["optimiser"], CONFIG["loss"], CONFIG["transfer"]
    if t["labelledFraction"] < 1 or t["omitClass"] is not None or t["jitter"] > 0 or t.get("data", {"kind": "training"})["kind"] != "training":
        raise SystemExit("Mutual learning trains on the whole labelled training set: the transfer settings must be the defaults.")
    if L["hint"] or L["logitMse"] > 0 or L.get("softTargets", "teacher") != "teacher":
        raise SystemExit("Mutual learning has no teacher: no hint, logit MSE or soft-target ablation.")
    T, alpha = L["temperature"], L["alpha"]
    x, y, x_test, y_test = data["x_train"], data["y_train"], data["x_test"], data["y_test"]
    device = x.device
    set_seed(CONFIG["seed"])
    first = build_student().to(device)
    scratch = copy.deepcopy(first)  # the control starts from student 1's very weights
    set_seed(CONFIG["seed"] + 1)
    second = build_student().to(device)
    opt_first, opt_second = adam(first.parameters(), o["learningRate"]), adam(second.parameters(), o["learningRate"])
    opt_scratch = adam(scratch.parameters(), o["learningRate"])
    gen = torch.Generator().manual_seed(CONFIG["seed"])

    def peer_loss(own, other, yb):
        log_p, log_q = F.log_softmax(own / T, dim=1), F.log_softmax(other.detach() / T, dim=1)
        soft = (log_q.exp() * (log_q - log_p)).sum(dim=1).mean() * (T * T if L["scaleByT2"] else 1)
        return alpha * soft + (1 - alpha) * F.cross_entropy(own, yb)

    for epoch in range(1, o["epochs"] + 1):
        for m in (first, second, scratch):
            m.train()
        for idx in batches(len(y), o["batchSize"], gen):
            idx = idx.to(device)
            xb, yb = x[idx], y[idx]
            s1, s2 = first(xb), second(xb)
            opt_first.zero_grad()
            opt_second.zero_grad()
            # Each loss reaches only its own student (the other's logits are detached): one backward serves both.
            (peer_loss(s1, s2, yb) + peer_loss(s2, s1, yb)).backward()
            opt_first.step()
            opt_second.step()
            step(opt_scratch, F.cross_entropy(scratch(xb), yb))
        accs = [accuracy(predict(m, x_test), y_test) for m in (first, second, scratch)]
        print(f"epoch {epoch}/{o['epochs']}: student 1 {accs[0]:.2%}  peer {accs[1]:.2%}  scratch {accs[2]:.2%}", flush=True)
    print(f"final test accuracy: student 1 {accs[0]:.2%}, peer student {accs[1]:.2%}, scratch control {accs[2]:.2%}")
