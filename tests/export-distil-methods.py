"""Runs the soft-term code of an exported PyTorch script (tests/experiment-export-methods.test.ts): only the
script's CONFIG and distil_methods.py's names are executed, taken from the script itself, so the code tested is
the code exported.

Usage: python3 tests/export-distil-methods.py SCRIPT INPUT.json
INPUT.json: {"student": rows, "teacher": rows, "labels": [int], "temperature": T}.
Prints JSON: {"tckd", "nckd", "soft", "targets": rows (the ablated targets, or null)} or {"exit": message}.
"""
import ast, json, math, sys
import torch
import torch.nn.functional as F

script, input_path = sys.argv[1:3]
tree = ast.parse(open(script, encoding="utf-8").read())
NAMES = {"CONFIG", "METHOD", "SOFT_TARGETS", "SOFT_TARGET_GEN", "dkd_terms", "ablated_targets", "soft_term"}
keep = [n for n in tree.body
        if (isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) in NAMES)
        or (isinstance(n, ast.FunctionDef) and n.name in NAMES)
        # The refusals at the top of distil_methods.py.
        or (isinstance(n, ast.If) and "SOFT_TARGETS" in ast.dump(n.test))]
ns = {"torch": torch, "F": F, "math": math}
data = json.load(open(input_path))
try:
    exec(compile(ast.Module(body=keep, type_ignores=[]), script, "exec"), ns)
    s = torch.tensor(data["student"], dtype=torch.float64)
    t = torch.tensor(data["teacher"], dtype=torch.float64)
    y = torch.tensor(data["labels"], dtype=torch.int64)
    T = data["temperature"]
    tckd, nckd = ns["dkd_terms"](s, t, y, T)
    kind = ns["SOFT_TARGETS"]
    # The same shuffle for the targets shown and for the soft term computed from them.
    start = ns["SOFT_TARGET_GEN"].get_state()
    targets = ns["ablated_targets"](t, y, T, kind).tolist() if kind != "teacher" else None
    ns["SOFT_TARGET_GEN"].set_state(start)
    print(json.dumps({"tckd": tckd.item(), "nckd": nckd.item(), "soft": ns["soft_term"](s, t, y, T).item(), "targets": targets}))
except SystemExit as e:
    print(json.dumps({"exit": str(e)}))
