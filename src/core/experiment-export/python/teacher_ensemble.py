# Log-probabilities below this are raised to it, as in the studio (src/core/ensemble.ts LOG_PROB_FLOOR):
# a member that gives a class probability 0 would otherwise make the mean -inf and the loss NaN.
LOG_PROB_FLOOR = -1e4


class Ensemble(nn.Module):
    """The members as one teacher, combined as the studio combines them (src/core/ensemble.ts): "mean-log-prob", the
    mean of their log-probabilities; "mean-prob", the log of the mean of their probabilities (a log-sum-exp)."""

    def __init__(self, members, combine):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.combine = combine

    def forward(self, x):
        log_probs = torch.stack([torch.clamp(F.log_softmax(m(x), dim=1), min=LOG_PROB_FLOOR) for m in self.members])
        if self.combine == "mean-log-prob":
            return log_probs.mean(dim=0)
        return torch.logsumexp(log_probs, dim=0) - math.log(len(self.members))


def add_teacher_arguments(parser):
    parser.add_argument("--member-checkpoint", nargs=2, action="append", default=[], metavar=("N", "FILE"),
                        help="member N (from 1): a state_dict for a trained member, a TorchScript model for an uploaded one")
    parser.add_argument("--member-onnx", nargs=2, action="append", default=[], metavar=("N", "FILE"),
                        help="the .onnx file of ONNX member N (default: the file named in CONFIG, beside this script)")
    parser.add_argument("--member-logits", nargs=2, action="append", default=[], metavar=("N", "FILE"),
                        help="member N's logits precomputed, a .npy [training rows + test rows, classes]")
    parser.add_argument("--save-members", help="save the trained members' state_dicts in this folder (member-N.pt)")


def by_member(pairs, flag):
    count = len(CONFIG["teacher"]["members"])
    files = {}
    for n, path in pairs:
        if not n.isdigit() or not 1 <= int(n) <= count:
            raise SystemExit(f"{flag} {n}: the ensemble's members are numbered 1 to {count}")
        files[int(n)] = path
    return files


def build_member(n, member, recipe, data, args, files):
    device = data["x_train"].device
    x_train, x_test = data["x_train"].cpu().numpy(), data["x_test"].cpu().numpy()
    if n in files["logits"]:
        return NumpyTeacher(LogitsTable.load(files["logits"][n], x_train, x_test, CONFIG["resolved"]["numClasses"]))
    if member["kind"] in ("shipped", "preset"):
        t = recipe["training"]
        set_seed(t["seed"])
        model = build_model(recipe["spec"]).to(device)
        if n in files["checkpoint"]:
            model.load_state_dict(torch.load(files["checkpoint"][n], map_location=device))
            return model
        train_plain(model, data, t, f"member {n}")
        if args.save_members:
            os.makedirs(args.save_members, exist_ok=True)
            torch.save(model.state_dict(), os.path.join(args.save_members, f"member-{n}.pt"))
        return model
    if member["kind"] == "uploaded":
        if n not in files["checkpoint"]:
            raise SystemExit(
                f"Member {n} was uploaded to the studio as a TensorFlow.js model, so this script cannot rebuild it: "
                f"pass --member-checkpoint {n} FILE with a TorchScript model that maps feature rows to logits."
            )
        return torch.jit.load(files["checkpoint"][n], map_location=device)
    if member["kind"] == "onnx":
        return NumpyTeacher(
            onnx_teacher_logits(
                member,
                CONFIG["resolved"],
                x_train,
                x_test,
                onnx_path=files["onnx"].get(n),
                logits_path=None,
                who=f"Member {n}",
                logits_flag=f"--member-logits {n}",
                onnx_flag=f"--member-onnx {n}",
            )
        )
    raise SystemExit(TEACHABLE_MACHINE.format(who=f"Member {n}", flag=f"--member-logits {n}"))


def get_teacher(data, args):
    files = {
        "checkpoint": by_member(args.member_checkpoint, "--member-checkpoint"),
        "onnx": by_member(args.member_onnx, "--member-onnx"),
        "logits": by_member(args.member_logits, "--member-logits"),
    }
    e = CONFIG["teacher"]
    members = []
    for i, (member, recipe) in enumerate(zip(e["members"], CONFIG["resolved"]["teacherMembers"])):
        model = build_member(i + 1, member, recipe, data, args, files).to(data["x_train"].device)
        print(f"member {i + 1} ({member['kind']}): test accuracy {accuracy(predict(model, data['x_test']), data['y_test']):.2%}", flush=True)
        members.append(model)
    return Ensemble(members, e["combine"])
