"""thread-pool: run a loop's independent, I/O-bound calls concurrently on a thread pool."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst
from libcst.metadata import Assignment

from evolver.analysis import legacy_purity as purity
from evolver.analysis import loop_proofs
from evolver.analysis.static import FunctionInfo, ModuleIndex, walk
from evolver.model import Site
from evolver.transforms._legacy import (
    Context,
    LegacyTransform,
    add_import,
    function_features,
    import_name_reason,
    replace_nodes,
)

POOL = "_evolver_pool"
WORKERS = 16
EXECUTOR = "concurrent.futures.ThreadPoolExecutor"


@dataclass(frozen=True)
class Candidate:
    """One statement of the accepted shapes: ``for x in xs: out.append(f(x))``,
    ``out = [f(x) for x in xs]``, ``return [f(x) for x in xs]``, or an already rewritten pool."""

    statement: cst.BaseStatement
    kind: str  # "loop", "assign", "return", "pool"
    call: cst.Call | None = None
    target: cst.BaseAssignTargetExpression | None = None  # the loop variable
    iterable: cst.BaseExpression | None = None
    out: cst.BaseExpression | None = None  # the list appended to (loop form)


class ThreadPool(LegacyTransform):
    """Run the calls of ``for x in xs: out.append(f(x))`` on a thread pool.

    What it rewrites: inside a function, the loop above (or ``out = [f(x) for x in xs]``, or
    ``return [f(x) for x in xs]``) becomes::

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:
            out.extend(_evolver_pool.map(f, xs))

    Extra loop-invariant positional arguments ``f(x, c)`` are passed as ``itertools.repeat(c)``.

    Why it is faster: ``f`` spends its time blocked on I/O; up to 16 calls wait at once.

    Example: fetching 50 files behind a 30 ms round trip takes ~0.1 s instead of 1.5 s.

    Safety preconditions: ``f`` is a module function bound once, proven I/O-bound and independent
    (writes nothing shared, prints nothing, sends no state-changing request); the loop variable is
    a plain name used only as one argument of the call; the loop has no ``else`` and is not inside
    a ``try``; ``out`` is a local always bound to a fresh list that is not used before the loop.
    ``Executor.map`` keeps the order; ``list.extend`` consumes it progressively, so when ``f(x_k)``
    raises, the results before ``k`` are in ``out`` and the same exception propagates (calls after
    ``k`` may already have run: they are independent reads). ``xs`` is consumed before the first
    call: do not use it with an iterator whose production interleaves with ``f``'s effects.
    """

    name: ClassVar[str] = "thread-pool"
    description: ClassVar[str] = "run independent I/O-bound calls of a loop on a thread pool"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `for x in xs: out.append(f(x, c...))` with nothing else in the body, no else, or "
        "`out = [f(x) for x in xs]` / `return [...]` with one for and no if; inside a function",
        "f: a module function bound once, proven I/O-bound (blocking call, maybe through callees)",
        "f proven independent: no global/nonlocal, no stores or mutating calls on non-locals, no "
        "writes to files, no prints/logging, no state-changing requests, not a method",
        "loop variable: a plain name used only as one positional argument of f, not after the loop",
        "extra arguments: constants, parameters or module names (bound, loop-invariant)",
        "out: a local bound only to fresh lists, not used before the loop; loop not inside try",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # not I/O-bound
        "def square(n):\n    return n * n\n\n\ndef run(ns):\n    out = []\n    for n in ns:\n"
        "        out.append(square(n))\n    return out\n",
        # writes a shared list
        "import time\n\nSEEN = []\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    SEEN.append(u)\n    return u\n\n\n"
        "def run(us):\n    out = []\n    for u in us:\n        out.append(fetch(u))\n    return out\n",
        # global counter
        "import time\n\nCOUNT = 0\n\n\ndef fetch(u):\n    global COUNT\n    time.sleep(0.1)\n    COUNT += 1\n    return u\n\n\n"
        "def run(us):\n    return [fetch(u) for u in us]\n",
        # loop variable used after the loop
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us):\n    out = []\n    for u in us:\n        out.append(fetch(u))\n    return out, u\n",
        # module-level loop
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\nout = []\nfor u in 'ab':\n"
        "    out.append(fetch(u))\n",
        # prints
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    print(u)\n    return u\n\n\n"
        "def run(us):\n    return [fetch(u) for u in us]\n",
        # writes a file
        "def save(p):\n    with open(p, 'w') as fh:\n        fh.write('x')\n    return p\n\n\n"
        "def run(ps):\n    return [save(p) for p in ps]\n",
        # out is shared (a parameter), loop inside try, else clause, method callee, if in comprehension
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us, out):\n    for u in us:\n        out.append(fetch(u))\n    return out\n",
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us):\n    out = []\n    try:\n        for u in us:\n            out.append(fetch(u))\n"
        "    except OSError:\n        pass\n    return out\n",
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us):\n    out = []\n    for u in us:\n        out.append(fetch(u))\n    else:\n        out.append(None)\n"
        "    return out\n",
        "import time\n\n\nclass C:\n    def fetch(self, u):\n        time.sleep(0.1)\n        return u\n\n    def run(self, us):\n"
        "        out = []\n        for u in us:\n            out.append(self.fetch(u))\n        return out\n",
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us):\n    return [fetch(u) for u in us if u]\n",
        # mutates its argument
        "import time\n\n\ndef fetch(d):\n    time.sleep(0.1)\n    d['done'] = True\n    return d\n\n\n"
        "def run(ds):\n    return [fetch(d) for d in ds]\n",
        # out used before the loop (could be shared), loop variable used elsewhere
        "import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us, registry):\n    out = []\n    registry.append(out)\n    for u in us:\n        out.append(fetch(u))\n"
        "    return out\n",
        "import time\n\n\ndef fetch(u, v):\n    time.sleep(0.1)\n    return u\n\n\n"
        "def run(us):\n    return [fetch(u, u) for u in us]\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "import time\n\n\ndef fetch(path):\n    with open(path, encoding='utf-8') as fh:\n        text = fh.read()\n"
            "    time.sleep(0.03)\n    return text\n\n\ndef load(paths):\n    texts = []\n"
            "    # one round trip each\n    for path in paths:  # slow\n        texts.append(fetch(path))\n"
            "    return texts\n",
            "import time\nimport concurrent.futures\n\n\ndef fetch(path):\n"
            "    with open(path, encoding='utf-8') as fh:\n        text = fh.read()\n"
            "    time.sleep(0.03)\n    return text\n\n\ndef load(paths):\n    texts = []\n"
            "    # one round trip each\n"
            "    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:  # slow\n"
            "        texts.extend(_evolver_pool.map(fetch, paths))\n    return texts\n",
        ),
        (
            "import time\nimport urllib.request\n\n\ndef get(url, timeout):\n"
            "    with urllib.request.urlopen(url, timeout=timeout) as resp:\n        return resp.read()\n\n\n"
            "def get_all(urls, timeout=5):\n    bodies = [get(u, timeout) for u in urls]\n    return bodies\n",
            "import time\nimport urllib.request\nimport concurrent.futures\nimport itertools\n\n\n"
            "def get(url, timeout):\n"
            "    with urllib.request.urlopen(url, timeout=timeout) as resp:\n        return resp.read()\n\n\n"
            "def get_all(urls, timeout=5):\n"
            "    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:\n"
            "        bodies = list(_evolver_pool.map(get, urls, itertools.repeat(timeout)))\n    return bodies\n",
        ),
        (
            "from pathlib import Path\n\n\ndef size(p: Path) -> int:\n    return len(p.read_bytes())\n\n\n"
            "def sizes(ps):\n    return [size(p) for p in ps]\n",
            "from pathlib import Path\nimport concurrent.futures\n\n\ndef size(p: Path) -> int:\n"
            "    return len(p.read_bytes())\n\n\ndef sizes(ps):\n"
            "    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:\n"
            "        return list(_evolver_pool.map(size, ps))\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            # numbered among the function's loop positions, so ``#k`` still names this statement
            # after another loop of the function became a comprehension or a join
            numbers = {id(node): k for k, node in enumerate(loop_proofs.positions(index, fn))}
            for candidate in candidates(index, fn):
                k = numbers.get(id(candidate.statement))
                if k is None:  # inside a pool evolver wrote: that loop is done
                    continue
                reasons = self.reasons(index, fn, candidate)
                found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons,
                                       self.features(index, fn, candidate)))
        return found

    @staticmethod
    def features(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> dict[str, float]:
        features = function_features(index, fn) | {"form": ("loop", "assign", "return", "pool").index(candidate.kind)}
        callee = _callee(index, candidate)
        if callee is not None:
            first, last = index.lines(callee)
            features |= {"callee_io_calls": len(purity.io_evidence(index, callee.qualname)),
                         "callee_loc": last - first + 1}
        features["site_loop_depth"] = _enclosing_loops(index, fn, candidate.statement)
        return features

    def reasons(self, index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
        if candidate.kind == "pool":
            return ["already runs on a thread pool"]
        assert candidate.call is not None
        reasons = _shape_reasons(index, fn, candidate)
        if not isinstance(candidate.target, cst.Name):
            return reasons
        if candidate.kind == "loop":
            reasons += _loop_reasons(index, fn, candidate)
        callee = _callee(index, candidate)
        if callee is None:
            return reasons + [f"calls {index.code(candidate.call.func)}, which is not a module function bound once"]
        reasons += _callee_reasons(index, fn, callee)
        needed = ["concurrent.futures"] + (["itertools"] if len(candidate.call.args) > 1 else [])
        reasons += [r for m in needed if (r := import_name_reason(index, fn, m)) is not None]
        return reasons + _pool_name_reasons(index, fn)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        candidate = candidates(index, fn)[int(k)]
        replacement = _pooled(index, candidate)
        tree = add_import(replace_nodes(index.tree, {id(candidate.statement): replacement}), "concurrent.futures")
        return add_import(tree, "itertools") if candidate.call and len(candidate.call.args) > 1 else tree


# --- finding candidates ----------------------------------------------------------------------


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[Candidate]:
    found = []
    for node in index.own_nodes(fn.node):
        candidate = _candidate(index, node)
        if candidate is not None:
            found.append(candidate)
    return found


def _candidate(index: ModuleIndex, node: cst.CSTNode) -> Candidate | None:
    """Calls of builtins (``[str(x) for x in xs]``) are not candidates: they never block."""
    found = None
    if isinstance(node, cst.For):
        found = _loop_candidate(node)
    elif isinstance(node, cst.With) and _is_pool(index, node):
        return Candidate(node, "pool")
    elif isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
        small = node.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            found = _comprehension_candidate(node, small.value, "assign")
        elif isinstance(small, cst.Return) and small.value is not None:
            found = _comprehension_candidate(node, small.value, "return")
    if found is not None and isinstance(found.call.func, cst.Name) and index.binding(found.call.func) == "builtin":
        return None
    return found


def _loop_candidate(node: cst.For) -> Candidate | None:
    if isinstance(node.body, cst.SimpleStatementSuite):
        statements: Sequence[cst.BaseSmallStatement] = node.body.body
    elif len(node.body.body) == 1 and isinstance(node.body.body[0], cst.SimpleStatementLine):
        statements = node.body.body[0].body
    else:
        return None
    if len(statements) != 1 or not isinstance(statements[0], cst.Expr):
        return None
    append = statements[0].value
    if not (isinstance(append, cst.Call) and isinstance(append.func, cst.Attribute)
            and append.func.attr.value == "append" and len(append.args) == 1
            and isinstance(append.args[0].value, cst.Call)):
        return None
    return Candidate(node, "loop", append.args[0].value, node.target, node.iter, append.func.value)


def _comprehension_candidate(statement: cst.SimpleStatementLine, value: cst.BaseExpression,
                             kind: str) -> Candidate | None:
    if not (isinstance(value, cst.ListComp) and isinstance(value.elt, cst.Call)):
        return None
    clause = value.for_in
    return Candidate(statement, kind, value.elt, clause.target, clause.iter)


def _is_pool(index: ModuleIndex, node: cst.With) -> bool:
    item = node.items[0]
    return (len(node.items) == 1 and isinstance(item.item, cst.Call) and item.asname is not None
            and isinstance(item.asname.name, cst.Name) and item.asname.name.value == POOL
            and index.qualified_name(item.item.func) == EXECUTOR)


def _callee(index: ModuleIndex, candidate: Candidate) -> FunctionInfo | None:
    call = candidate.call
    if call is None or not isinstance(call.func, cst.Name) or index.binding(call.func) != "global":
        return None
    return index.module_function(call.func.value)


# --- checks ------------------------------------------------------------------------------------


def _shape_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    statement, call, target = candidate.statement, candidate.call, candidate.target
    assert call is not None
    reasons = []
    if isinstance(statement, cst.SimpleStatementLine):
        comp = statement.body[0].value  # type: ignore[attr-defined]
        if comp.for_in.ifs or comp.for_in.inner_for_in is not None:
            reasons.append("the comprehension has an `if` or a second `for`")
        if comp.for_in.asynchronous is not None:
            reasons.append("the comprehension is asynchronous")
    if not isinstance(target, cst.Name):
        return reasons + ["the loop target is not a simple name"]
    if any(a.keyword is not None for a in call.args):
        reasons.append("passes keyword arguments")
    if any(a.star for a in call.args):
        reasons.append("passes starred arguments")
    uses = [a for a in call.args if isinstance(a.value, cst.Name) and a.value.value == target.value]
    if len(uses) != 1 or len(_names_in(call, target.value)) != 1:
        reasons.append(f"the loop variable `{target.value}` is not passed exactly once as a plain argument")
    for arg in call.args:
        if arg not in uses and not _invariant(index, fn, arg.value):
            reasons.append(f"argument `{index.code(arg.value)}` is not provably bound and loop-invariant")
    if _names_in(candidate.iterable, target.value) and candidate.kind == "loop":
        reasons.append(f"the iterable uses the loop variable `{target.value}`")
    return reasons


def _loop_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    loop = candidate.statement
    assert isinstance(loop, cst.For) and isinstance(candidate.target, cst.Name)
    reasons = []
    if loop.orelse is not None:
        reasons.append("the loop has an `else` clause")
    if loop.asynchronous is not None:
        reasons.append("the loop is asynchronous")
    if _inside_try(index, loop, fn):
        reasons.append("the loop is inside a `try` (partial results on failure could differ)")
    variable = candidate.target
    if any(r.node is not variable and not _within(index, r.node, candidate.call) for r in _references(index, variable)):
        reasons.append(f"the loop variable `{variable.value}` is used outside the call (e.g. after the loop)")
    return reasons + _out_reasons(index, fn, candidate)


def _out_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    out, loop, call = candidate.out, candidate.statement, candidate.call
    assert call is not None
    if not isinstance(out, cst.Name) or index.binding(out) != "local":
        return [f"appends to `{index.code(out)}`, which is not a local list"]  # type: ignore[arg-type]
    reasons = []
    if not all(_fresh_list(index, a) for a in index.assignments(out)):
        reasons.append(f"`{out.value}` is not always bound to a fresh list")
    if _names_in(call, out.value) or _names_in(candidate.iterable, out.value):
        reasons.append(f"the call or the iterable uses `{out.value}`")
    outer_loops = _enclosing_loops(index, fn, loop)
    for assignment in index.assignments(out):
        for access in assignment.references:
            node = access.node
            if node is out or _method_receiver(index, node):
                continue
            if not index.after(node, loop) or outer_loops:
                reasons.append(f"`{out.value}` is used before the loop or in an enclosing loop (it could be shared)")
                break
    return reasons


def _callee_reasons(index: ModuleIndex, fn: FunctionInfo, callee: FunctionInfo) -> list[str]:
    reasons = []
    if not purity.io_evidence(index, callee.qualname):
        reasons.append(f"{callee.name} is not proven I/O-bound (no blocking call found)")
    reasons += [f"{callee.name} {r}" for r in purity.independence_reasons(index, callee.qualname)]
    if callee.is_async:
        reasons.append(f"{callee.name} is async")
    if _reaches(index, callee, fn.qualname):
        reasons.append(f"{callee.name} calls back into {fn.qualname}")
    return reasons


def _pool_name_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """``_evolver_pool`` may only be bound by pools this transform wrote."""
    for scope in index.function_scopes(fn):
        for assignment in scope.assignments[POOL] if POOL in scope.assignments else ():  # noqa: SIM401 - libcst Assignments has no .get
            item = index.parent(index.parent(assignment.node)) if isinstance(assignment, Assignment) else None
            with_node = index.parent(item) if isinstance(item, cst.WithItem) else None
            if not (isinstance(with_node, cst.With) and _is_pool(index, with_node)):
                return [f"`{POOL}` is already a name in {fn.qualname}"]
    return []


def _invariant(index: ModuleIndex, fn: FunctionInfo, expr: cst.BaseExpression) -> bool:
    """Bound whenever the loop runs and not rebound by it: a constant, a parameter of the
    enclosing function, or a module name bound once."""
    if purity.is_constant(index, expr):
        return True
    if not isinstance(expr, cst.Name):
        return False
    binding = index.binding(expr)
    if binding == "param":
        return all(isinstance(getattr(a, "node", None), cst.Param) for a in index.assignments(expr))
    return binding in ("global", "import") and index.bound_once(expr.value)


def _fresh_list(index: ModuleIndex, assignment: object) -> bool:
    value = purity.bound_value(index, assignment)  # type: ignore[arg-type]
    if isinstance(value, (cst.List, cst.ListComp)):
        return True
    return isinstance(value, cst.Call) and index.qualified_name(value.func) == "builtins.list"


def _references(index: ModuleIndex, target: cst.Name) -> Iterator[object]:
    for assignment in index.assignments(target):
        if isinstance(assignment, Assignment) and assignment.node is target:
            yield from assignment.references


def _method_receiver(index: ModuleIndex, node: cst.CSTNode) -> bool:
    parent = index.parent(node)
    return isinstance(parent, cst.Attribute) and parent.value is node and index.is_called(parent)


def _names_in(node: cst.CSTNode | None, name: str) -> list[cst.Name]:
    if node is None:
        return []
    return [n for n in walk(node) if isinstance(n, cst.Name) and n.value == name]


def _within(index: ModuleIndex, node: cst.CSTNode, outer: cst.CSTNode | None) -> bool:
    current: cst.CSTNode | None = node
    while current is not None:
        if current is outer:
            return True
        current = index.parent(current)
    return False


def _inside_try(index: ModuleIndex, node: cst.CSTNode, fn: FunctionInfo) -> bool:
    current = index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (cst.Try, cst.TryStar)):
            return True
        current = index.parent(current)
    return False


def _enclosing_loops(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> int:
    count, current = 0, index.parent(node)
    while current is not None and current is not fn.node:
        count += isinstance(current, (cst.For, cst.While))
        current = index.parent(current)
    return count


def _reaches(index: ModuleIndex, start: FunctionInfo, qualname: str) -> bool:
    seen, pending = {start.qualname}, [start]
    while pending:
        fn = pending.pop()
        if fn.qualname == qualname:
            return True
        for callee in purity.callees_of(index, fn):
            if callee.qualname not in seen:
                seen.add(callee.qualname)
                pending.append(callee)
    return False


# --- rewriting ----------------------------------------------------------------------------------


def _pooled(index: ModuleIndex, candidate: Candidate) -> cst.With:
    call, target = candidate.call, candidate.target
    assert call is not None and isinstance(target, cst.Name) and candidate.iterable is not None
    values = [candidate.iterable if _is_name(a.value, target.value) else _repeat(a.value) for a in call.args]
    args = [cst.Arg(call.func, comma=_comma())] + [
        cst.Arg(v, comma=_comma() if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT) for i, v in enumerate(values)
    ]
    mapped = cst.Call(cst.Attribute(cst.Name(POOL), cst.Name("map")), args)
    config = index.tree.config_for_parsing
    newline = config.default_newline
    code = f"with {EXECUTOR}(max_workers={WORKERS}) as {POOL}:{newline}{config.default_indent}pass{newline}"
    template = cst.parse_statement(code, config=config)
    assert isinstance(template, cst.With)
    statement = candidate.statement
    if candidate.kind == "loop":
        assert isinstance(statement, cst.For) and candidate.out is not None
        inner = cst.Expr(cst.Call(cst.Attribute(candidate.out, cst.Name("extend")), [cst.Arg(mapped)]))
        line = _only_line(statement)
        body = cst.SimpleStatementLine([inner], trailing_whitespace=line.trailing_whitespace
                                       if isinstance(line, cst.SimpleStatementLine) else cst.TrailingWhitespace())
        header = statement.body.header if isinstance(statement.body, cst.IndentedBlock) else cst.TrailingWhitespace()
        indent = statement.body.indent if isinstance(statement.body, cst.IndentedBlock) else None
        return template.with_changes(leading_lines=statement.leading_lines,
                                     body=cst.IndentedBlock([body], header=header, indent=indent))
    assert isinstance(statement, cst.SimpleStatementLine)
    listed = cst.Call(cst.Name("list"), [cst.Arg(mapped)])
    small = statement.body[0].with_changes(value=listed)
    body = statement.with_changes(body=[small], leading_lines=[])
    return template.with_changes(leading_lines=statement.leading_lines, body=template.body.with_changes(body=[body]))


def _only_line(loop: cst.For) -> cst.CSTNode:
    return loop.body.body[0] if isinstance(loop.body, cst.IndentedBlock) else loop.body


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def _repeat(value: cst.BaseExpression) -> cst.Call:
    return cst.Call(cst.Attribute(cst.Name("itertools"), cst.Name("repeat")), [cst.Arg(value)])


def _comma() -> cst.Comma:
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))

