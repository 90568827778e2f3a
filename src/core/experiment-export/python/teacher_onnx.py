def add_teacher_arguments(parser):
    parser.add_argument("--teacher-onnx", help="the teacher's .onnx file (default: the file named in CONFIG, beside this script)")
    parser.add_argument("--teacher-logits", help="the teacher's logits precomputed, a .npy [training rows + test rows, classes]: no onnxruntime needed")
    parser.add_argument("--save-teacher-logits", help="save the teacher's logits for the training and test rows to this .npy")


def get_teacher(data, args):
    # The studio ran this ONNX model with ONNX Runtime: the same file runs here with the onnxruntime package,
    # on the CPU, on this script's rows (same scaling as in the studio), laid out as the studio fed it.
    x_train, x_test = data["x_train"].cpu().numpy(), data["x_test"].cpu().numpy()
    logits = onnx_teacher_logits(
        CONFIG["teacher"],
        CONFIG["resolved"],
        x_train,
        x_test,
        onnx_path=args.teacher_onnx,
        logits_path=args.teacher_logits,
        who="The teacher",
        logits_flag="--teacher-logits",
        onnx_flag="--teacher-onnx",
        save_path=args.save_teacher_logits,
    )
    return NumpyTeacher(logits)
