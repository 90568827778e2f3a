def add_teacher_arguments(parser):
    parser.add_argument("--teacher-logits", help="the teacher's logits precomputed, a .npy [training rows + test rows, classes]")


def get_teacher(data, args):
    if not args.teacher_logits:
        raise SystemExit(TEACHABLE_MACHINE.format(who="The teacher", flag="--teacher-logits"))
    x_train, x_test = data["x_train"].cpu().numpy(), data["x_test"].cpu().numpy()
    return NumpyTeacher(LogitsTable.load(args.teacher_logits, x_train, x_test, CONFIG["resolved"]["numClasses"]))
