def build_student():
    return build_model(CONFIG["resolved"]["studentSpec"])
