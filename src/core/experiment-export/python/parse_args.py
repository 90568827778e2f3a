def parse_args():
    parser = argparse.ArgumentParser(description="Distil the teacher into the student, with a scratch control, as Distill Studio did.")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--teacher-checkpoint", help="load the teacher from this file instead of training it")
    parser.add_argument("--save-teacher", help="save the trained teacher's state_dict to this file")
    add_data_arguments(parser)
    return parser.parse_args()
