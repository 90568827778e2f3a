def add_teacher_arguments(parser):
    parser.add_argument("--teacher-checkpoint", help="load the teacher from this file instead of training it")
    parser.add_argument("--save-teacher", help="save the trained teacher's state_dict to this file")
