#!/usr/bin/env python3
"""The include rules of src/ (docs/architecture.md), checked over the #include lines.

- Parts are the folders of src/, layered in the order src/CMakeLists.txt adds them: a part may
  include its own headers and those of parts added before it, never one added after it.
- Inside a part, a subfolder (publish/opendata, publish/portal) may include its parent's
  headers; the parent never includes a subfolder's, and sibling subfolders stay apart.
- No cycle of includes between files.
Prints every breach with the file and line, and exits 1 if there is one.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "src"
order = re.findall(r"^add_subdirectory\((\w+)\)", (root / "CMakeLists.txt").read_text(), re.M)
rank = {part: i for i, part in enumerate(order)}
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

problems = []
graph = {}
for path in sorted(root.rglob("*")):
    if path.suffix not in (".hpp", ".cpp"):
        continue
    rel = path.relative_to(root).as_posix()
    folder = rel.rsplit("/", 1)[0]
    part = folder.split("/")[0]
    if part not in rank:
        problems.append(f"src/{rel}: folder {part}/ is not added in src/CMakeLists.txt")
        continue
    graph[rel] = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        m = include.match(line)
        if not m:
            continue
        target = m.group(1)
        if not (root / target).exists():
            continue  # a test's or a generated header, not part of src/
        graph[rel].append(target)
        tfolder = target.rsplit("/", 1)[0]
        tpart = tfolder.split("/")[0]
        where = f"src/{rel}:{n}: includes {target}"
        if tpart != part:
            if rank[tpart] > rank[part]:
                problems.append(f"{where}: {part}/ is below {tpart}/")
        elif tfolder != folder and not folder.startswith(tfolder + "/"):
            problems.append(f"{where}: {folder}/ may include only its own and its parent's headers")

# Cycles between files, by depth-first search.
state = {}
def visit(node, stack):
    state[node] = "open"
    stack.append(node)
    for nxt in graph.get(node, []):
        if state.get(nxt) == "open":
            cycle = stack[stack.index(nxt):] + [nxt]
            problems.append("include cycle: " + " -> ".join(cycle))
        elif nxt not in state:
            visit(nxt, stack)
    stack.pop()
    state[node] = "done"

sys.setrecursionlimit(10000)
for node in graph:
    if node not in state:
        visit(node, [])

for p in problems:
    print(p)
if problems:
    print(f"rekap: {len(problems)} breaches of the include rules (scripts/check-layers.py)")
    sys.exit(1)
print(f"include rules: {len(graph)} files, {len(order)} parts, no breach")
