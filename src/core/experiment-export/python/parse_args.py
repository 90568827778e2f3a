def parse_args():
    parser = argparse.ArgumentParser(description="Distil the teacher into the student, with a scratch control, as Distill Studio did.")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    add_teacher_arguments(parser)
    add_data_arguments(parser)
    return parser.parse_args()
