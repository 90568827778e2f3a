def get_teacher(data, args):
    t = CONFIG["resolved"]["teacherTraining"]
    set_seed(t["seed"])
    teacher = build_model(CONFIG["resolved"]["teacherSpec"]).to(data["x_train"].device)
    if args.teacher_checkpoint:
        teacher.load_state_dict(torch.load(args.teacher_checkpoint, map_location=data["x_train"].device))
        return teacher
    train_plain(teacher, data, t, "teacher")
    if args.save_teacher:
        torch.save(teacher.state_dict(), args.save_teacher)
    return teacher
