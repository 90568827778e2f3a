"""Facts about an exported PyTorch script, as JSON (tests/experiment-export.test.ts): its CONFIG read with
ast.literal_eval, its imports, its top-level functions and docstring, and the CONFIG paths the code reads
(directly, or through a local alias such as L = CONFIG["loss"]) that CONFIG lacks.

Usage: python3 tests/export-facts.py SCRIPT
"""
import ast, json, sys
src = open(sys.argv[1], encoding="utf-8").read()
tree = ast.parse(src)
config = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "CONFIG" for t in n.targets))
imports = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
imports |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}

def path_of(node, aliases):
    keys = []
    while isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        keys.insert(0, node.slice.value)
        node = node.value
    if isinstance(node, ast.Name) and node.id == "CONFIG":
        return keys
    if isinstance(node, ast.Name) and node.id in aliases:
        return aliases[node.id] + keys
    return None

def present(path):
    value = config
    for k in path:
        if value is None:  # an optional part (hint, teacherSpec): the code reads it only when present
            return True
        if not isinstance(value, dict) or k not in value:
            return False
        value = value[k]
    return True

missing = set()
for scope in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)] + [tree]:
    aliases = {}
    if scope is not tree:
        for n in ast.walk(scope):
            if isinstance(n, ast.Assign) and len(n.targets) == 1:
                t, v = n.targets[0], n.value
                pairs = zip(t.elts, v.elts) if isinstance(t, ast.Tuple) and isinstance(v, ast.Tuple) else [(t, v)]
                for name, value in pairs:
                    path = path_of(value, aliases) if isinstance(name, ast.Name) and isinstance(value, ast.Subscript) else None
                    if path is not None:
                        aliases[name.id] = path
    for n in ast.walk(scope):
        path = path_of(n, aliases) if isinstance(n, ast.Subscript) else None
        if path is not None and not present(path):
            missing.add("/".join(path))
functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
print(json.dumps({"config": config, "imports": sorted(imports), "missing": sorted(missing), "functions": functions, "docstring": ast.get_docstring(tree)}))
