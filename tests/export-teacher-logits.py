"""Runs the teacher-logits code of an exported PyTorch script without PyTorch (tests/experiment-export.test.ts):
only the script's CONFIG, its onnxruntime import and the numpy-only helpers (onnx_runner.py, teacher_logits.py)
are executed, taken from the script itself, so the code tested is the code exported.

Usage: python3 tests/export-teacher-logits.py SCRIPT onnx|table|ensemble INPUT.json [SAVE.npy]
INPUT.json: {"x_train": rows, "x_test": rows, "ask": rows, "table": rows (table mode: the logits to save and look up),
"members": [rows, ...] (ensemble mode, which needs PyTorch: each member's logits for the rows asked)}.
Prints JSON: {"logits": rows, "probabilities": bool or null, "layout": str or null} or {"exit": message}.
"""
import ast, hashlib, json, os, sys
import numpy as np

script, mode, input_path = sys.argv[1:4]
save = sys.argv[4] if len(sys.argv) > 4 else None
tree = ast.parse(open(script, encoding="utf-8").read())
NAMES = {"CONFIG", "NO_ONNXRUNTIME", "TEACHABLE_MACHINE", "onnx_file", "pick", "guess_layout", "to_layout",
         "looks_like_probabilities", "OnnxLogits", "LogitsTable", "row_key", "onnx_teacher_logits"}
if mode == "ensemble":
    NAMES |= {"LOG_PROB_FLOOR", "Ensemble", "NumpyTeacher"}
keep = [n for n in tree.body if isinstance(n, ast.Try)
        or (isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) in NAMES)
        or (isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in NAMES)]
ns = {"np": np, "os": os, "hashlib": hashlib, "__file__": script}
if mode == "ensemble":
    import math, torch, torch.nn as nn, torch.nn.functional as F
    ns.update(math=math, torch=torch, nn=nn, F=F)
exec(compile(ast.Module(body=keep, type_ignores=[]), script, "exec"), ns)
CONFIG = ns["CONFIG"]
data = json.load(open(input_path))
x_train, x_test = (np.array(data[k], dtype=np.float32) for k in ("x_train", "x_test"))
ask = np.array(data["ask"], dtype=np.float32)


def answer():
    if mode == "ensemble":
        members = [ns["NumpyTeacher"](lambda x, t=np.array(m, dtype=np.float32): t) for m in data["members"]]
        with torch.no_grad():
            return {"logits": ns["Ensemble"](members, CONFIG["teacher"]["combine"])(torch.from_numpy(ask)).numpy().tolist()}
    if mode == "table":
        path = os.path.join(os.path.dirname(input_path), "table.npy")
        np.save(path, np.array(data["table"], dtype=np.float32))
        run = ns["LogitsTable"].load(path, x_train, x_test, CONFIG["resolved"]["numClasses"])
    else:
        run = ns["onnx_teacher_logits"](CONFIG["teacher"], CONFIG["resolved"], x_train, x_test, None, None, "The teacher", "--teacher-logits", "--teacher-onnx", save)
    teacher = getattr(run, "fallback", None)  # the ONNX model behind the table of the data set's own logits
    return {"logits": run(ask).tolist(), "probabilities": getattr(teacher, "probabilities", None), "layout": getattr(teacher, "layout", None)}


try:
    print(json.dumps(answer()))
except SystemExit as e:
    print(json.dumps({"exit": str(e)}))
