"""thread-pool: run a loop's independent, I/O-bound calls concurrently on a thread pool."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.callgraph import reachable
from evolver.analysis.constants import is_constant
from evolver.analysis.evidence import io_evidence
from evolver.analysis.independence import independence_reasons, thread_local_reasons
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import handler_reasons, rebound_by_other_loop
from evolver.analysis.loops import positions
from evolver.analysis.tree import after, all_params, enclosing_loops, within
from evolver.model import Site
from evolver.transforms._cst import CstView, add_import
from evolver.transforms.base import (
    NO_SITE,
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    rewrite,
)

POOL = "_evolver_pool"
WORKERS = 16
EXECUTOR = "concurrent.futures.ThreadPoolExecutor"
LAZY = frozenset({"iterator", "generator", "view", "file", "response", "socket"})


@dataclass(frozen=True)
class Pooled(Candidate):
    """``for x in xs: out.append(f(x, c...))``, ``out = [f(x) for x in xs]``, ``return [...]``, or an
    already rewritten pool (``kind`` "pool")."""

    kind: str  # "loop", "assign", "return", "pool"
    call: ast.Call | None = None
    target: ast.expr | None = None  # the loop variable
    iterable: ast.expr | None = None
    out: ast.expr | None = None  # the list appended to (loop form)


class ThreadPool(Transform):
    """Run the calls of ``for x in xs: out.append(f(x))`` on a thread pool.

    What it rewrites: inside a function, the loop above (or ``out = [f(x) for x in xs]``, or
    ``return [f(x) for x in xs]``) becomes::

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:
            out.extend(_evolver_pool.map(f, xs))

    Extra loop-invariant positional arguments ``f(x, c)`` are passed as ``itertools.repeat(c)``.

    Why it is faster: ``f`` spends its time blocked on I/O; up to 16 calls wait at once.

    Example: fetching 50 files behind a 30 ms round trip takes ~0.1 s instead of 1.5 s.

    Rewrite safety: the calls overlap, and ``Executor.map`` submits them all before the first result
    is read, so a call after a failing one still runs. So ``f`` must be independent (it writes
    nothing shared, prints nothing, sends no state-changing request, mutates no argument:
    ``evolver.analysis.independence``), must not read thread-local state nor attributes of an
    argument (a ``threading.local`` reads differently on a worker thread), must not raise
    ``StopIteration`` (``Executor.map`` turns it into ``RuntimeError``), must not call back into the
    function, and is a module function bound once, proven I/O-bound. ``xs`` is consumed before the
    first call: a provably lazy iterable (a generator, ``map``, a file) is refused; one of unknown type
    is taken to be a container (assumption arguments-not-lazy). The loop variable is a plain name
    used only as one argument of the call; the loop has no ``else`` and is not inside a ``try``; ``out``
    is a local always bound to a fresh list that is not used before the loop. ``Executor.map`` keeps the
    order; ``list.extend`` consumes it progressively, so when ``f(x_k)`` raises, the results before
    ``k`` are in ``out`` and the same exception propagates. Relies on: timing-not-observed,
    quiet-special-methods, arguments-not-lazy, stdlib-as-documented, module-globals-private.
    """

    name: ClassVar[str] = "thread-pool"
    description: ClassVar[str] = "run independent I/O-bound calls of a loop on a thread pool"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `for x in xs: out.append(f(x, c...))` with nothing else in the body, no else, or "
        "`out = [f(x) for x in xs]` / `return [...]` with one for and no if; inside a function",
        "f: a module function bound once, proven I/O-bound (blocking call, maybe through callees)",
        "f proven independent: no global/nonlocal, no stores or mutating calls on non-locals, no "
        "writes to files, no prints/logging, no state-changing requests, not a method; no thread-local "
        "state or argument attributes read; no StopIteration",
        "loop variable: a plain name used only as one positional argument of f, not after the loop",
        "extra arguments: constants, parameters or module names (bound, loop-invariant)",
        "out: a local bound only to fresh lists, not used before the loop; loop not inside try; xs not a "
        "provably lazy iterable (a generator is consumed ahead of the calls)",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("timing-not-observed", "quiet-special-methods", "arguments-not-lazy",
                                              "stdlib-as-documented", "module-globals-private")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def square(n):\n    return n * n\n\n\ndef run(ns):\n    out = []\n    for n in ns:\n"
              "        out.append(square(n))\n    return out\n", "not proven I/O-bound"),
        leave("import time\n\nSEEN = []\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    SEEN.append(u)\n    return u\n\n\n"
              "def run(us):\n    out = []\n    for u in us:\n        out.append(fetch(u))\n    return out\n", "changes `SEEN`"),
        leave("import time\n\nCOUNT = 0\n\n\ndef fetch(u):\n    global COUNT\n    time.sleep(0.1)\n    COUNT += 1\n"
              "    return u\n\n\ndef run(us):\n    return [fetch(u) for u in us]\n", "declares global COUNT"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us):\n    out = []\n    for u in us:\n        out.append(fetch(u))\n    return out, u\n",
              "used outside the call"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\nout = []\nfor u in 'ab':\n    out.append(fetch(u))\n", NO_SITE),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    print(u)\n    return u\n\n\n"
              "def run(us):\n    return [fetch(u) for u in us]\n", "prints"),
        leave("def save(p):\n    with open(p, 'w') as fh:\n        fh.write('x')\n    return p\n\n\n"
              "def run(ps):\n    return [save(p) for p in ps]\n", "writing|writes files"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us, out):\n    for u in us:\n        out.append(fetch(u))\n    return out\n", "not a local list"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us):\n    out = []\n    try:\n        for u in us:\n            out.append(fetch(u))\n"
              "    except OSError:\n        pass\n    return out\n", "inside a `try`"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us):\n    out = []\n    for u in us:\n        out.append(fetch(u))\n    else:\n"
              "        out.append(None)\n    return out\n", "`else` clause"),
        leave("import time\n\n\nclass C:\n    def fetch(self, u):\n        time.sleep(0.1)\n        return u\n\n"
              "    def run(self, us):\n        out = []\n        for u in us:\n            out.append(self.fetch(u))\n"
              "        return out\n", "not a module function"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us):\n    return [fetch(u) for u in us if u]\n", "an `if` or a second `for`"),
        leave("import time\n\n\ndef fetch(d):\n    time.sleep(0.1)\n    d['done'] = True\n    return d\n\n\n"
              "def run(ds):\n    return [fetch(d) for d in ds]\n", "stores into d"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us, registry):\n    out = []\n    registry.append(out)\n    for u in us:\n"
              "        out.append(fetch(u))\n    return out\n", "used before the loop"),
        leave("import time\n\n\ndef fetch(u, v):\n    time.sleep(0.1)\n    return u\n\n\n"
              "def run(us):\n    return [fetch(u, u) for u in us]\n", "not passed exactly once"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef gen(us):\n    for u in us:\n        yield u\n\n\ndef run(us):\n"
              "    return [fetch(u) for u in gen(us)]\n", "lazy iterable"),
        leave("import time\n\n\ndef fetch(u, ids):\n    time.sleep(0.1)\n    return u, next(ids)\n\n\n"
              "def run(us, ids):\n    return [fetch(u, ids) for u in us]\n", "StopIteration|changes `ids`"),
        leave("import time\n\n\ndef owner(u, context):\n    time.sleep(0.1)\n    return u, context.user\n\n\n"
              "def run(us, context):\n    return [owner(u, context) for u in us]\n", "attribute of an argument"),
    )
    examples += (
        rewrite("import time\n\n\ndef fetch(path):\n    with open(path, encoding='utf-8') as fh:\n        text = fh.read()\n"
                "    time.sleep(0.03)\n    return text\n\n\ndef load(paths):\n    texts = []\n"
                "    # one round trip each\n    for path in paths:  # slow\n        texts.append(fetch(path))\n"
                "    return texts\n",
                "import time\nimport concurrent.futures\n\n\ndef fetch(path):\n"
                "    with open(path, encoding='utf-8') as fh:\n        text = fh.read()\n"
                "    time.sleep(0.03)\n    return text\n\n\ndef load(paths):\n    texts = []\n"
                "    # one round trip each\n"
                "    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:  # slow\n"
                "        texts.extend(_evolver_pool.map(fetch, paths))\n    return texts\n"),
        rewrite("import time\nimport urllib.request\n\n\ndef get(url: str, timeout):\n"
                "    with urllib.request.urlopen(url, timeout=timeout) as resp:\n        return resp.read()\n\n\n"
                "def get_all(urls, timeout=5):\n    bodies = [get(u, timeout) for u in urls]\n    return bodies\n",
                "import time\nimport urllib.request\nimport concurrent.futures\nimport itertools\n\n\n"
                "def get(url: str, timeout):\n"
                "    with urllib.request.urlopen(url, timeout=timeout) as resp:\n        return resp.read()\n\n\n"
                "def get_all(urls, timeout=5):\n"
                "    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:\n"
                "        bodies = list(_evolver_pool.map(get, urls, itertools.repeat(timeout)))\n    return bodies\n"),
        rewrite("from pathlib import Path\n\n\ndef size(name) -> int:\n    return len(Path(name).read_bytes())\n\n\n"
                "def sizes(ps):\n    return [size(p) for p in ps]\n",
                "from pathlib import Path\nimport concurrent.futures\n\n\ndef size(name) -> int:\n"
                "    return len(Path(name).read_bytes())\n\n\ndef sizes(ps):\n"
                "    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:\n"
                "        return list(_evolver_pool.map(size, ps))\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Pooled]:
        found = []
        for number, node in enumerate(positions(index, fn)):
            candidate = _candidate(index, node, number)
            if candidate is not None:
                found.append(candidate)
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Pooled, ctx: Context) -> Verdict:
        features = {"form": ("loop", "assign", "return", "pool").index(candidate.kind),
                    "site_loop_depth": len(enclosing_loops(index, candidate.node, fn.node))}
        if candidate.kind == "pool":
            return Verdict(["already runs on a thread pool"], features=features)
        assert candidate.call is not None
        callee = _callee(index, candidate.call)
        if callee is not None:
            first, last = index.lines(callee)
            features |= {"callee_io_calls": len(io_evidence(index, callee.qualname)), "callee_loc": last - first + 1}
        reasons = _shape_reasons(index, fn, candidate)
        if not isinstance(candidate.target, ast.Name):
            return Verdict(reasons, features=features)
        if candidate.kind == "loop":
            reasons += _loop_reasons(index, fn, candidate)
        reasons += _iterable_reasons(index, fn, candidate)
        if callee is None:
            return Verdict(reasons + [f"calls {index.code(candidate.call.func)}, which is not a module function "
                                      "bound once"], features=features)
        reasons += _callee_reasons(index, fn, callee)
        needed = ["concurrent.futures"] + (["itertools"] if len(candidate.call.args) > 1 else [])
        reasons += [r for m in needed if (r := import_name_reason(index, fn, m)) is not None]
        return Verdict(reasons + _pool_name_reasons(index, fn), features=features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        _, candidate = self.find(index, site, ctx)
        view = CstView.of(index)
        statement, replacement = _pooled(view, candidate)
        tree = add_import(view.replace({id(statement): replacement}), "concurrent.futures")
        return (add_import(tree, "itertools") if candidate.call and len(candidate.call.args) > 1 else tree).code


# --- finding candidates ------------------------------------------------------------------------------


def _candidate(index: ModuleIndex, node: ast.stmt, number: int) -> Pooled | None:
    """Calls of builtins (``[str(x) for x in xs]``) are not candidates: they never block."""
    found = None
    if isinstance(node, (ast.For, ast.AsyncFor)):
        found = _loop_candidate(node, number)
    elif isinstance(node, ast.With) and _is_pool(index, node):
        return Pooled(node, number, "pool")
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        found = _comprehension_candidate(node, node.value, "assign", number)
    elif isinstance(node, ast.Return) and node.value is not None:
        found = _comprehension_candidate(node, node.value, "return", number)
    if found is not None and isinstance(found.call.func, ast.Name) and index.binding(found.call.func) == "builtin":  # type: ignore[union-attr]
        return None
    return found


def _loop_candidate(node: ast.For | ast.AsyncFor, number: int) -> Pooled | None:
    if len(node.body) != 1 or not isinstance(node.body[0], ast.Expr):
        return None
    append = node.body[0].value
    if not (isinstance(append, ast.Call) and isinstance(append.func, ast.Attribute) and append.func.attr == "append"
            and len(append.args) == 1 and not append.keywords and isinstance(append.args[0], ast.Call)):
        return None
    return Pooled(node, number, "loop", append.args[0], node.target, node.iter, append.func.value)


def _comprehension_candidate(statement: ast.stmt, value: ast.expr, kind: str, number: int) -> Pooled | None:
    if not (isinstance(value, ast.ListComp) and isinstance(value.elt, ast.Call)):
        return None
    clause = value.generators[0]
    return Pooled(statement, number, kind, value.elt, clause.target, clause.iter)


def _is_pool(index: ModuleIndex, node: ast.With) -> bool:
    item = node.items[0]
    return (len(node.items) == 1 and isinstance(item.context_expr, ast.Call) and isinstance(item.optional_vars, ast.Name)
            and item.optional_vars.id == POOL and index.qualified_name(item.context_expr.func) == EXECUTOR)


def _callee(index: ModuleIndex, call: ast.Call) -> FunctionInfo | None:
    if not isinstance(call.func, ast.Name) or index.binding(call.func) != "global":
        return None
    return index.module_function(call.func.id)


# --- checks -----------------------------------------------------------------------------------------


def _shape_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    call, target = candidate.call, candidate.target
    assert call is not None
    reasons = []
    if candidate.kind != "loop":
        comprehension = candidate.node.value  # type: ignore[attr-defined]
        if len(comprehension.generators) > 1 or comprehension.generators[0].ifs:
            reasons.append("the comprehension has an `if` or a second `for`")
        if comprehension.generators[0].is_async:
            reasons.append("the comprehension is asynchronous")
    if not isinstance(target, ast.Name):
        return reasons + ["the loop target is not a simple name"]
    if call.keywords:
        reasons.append("passes keyword arguments")
    if any(isinstance(a, ast.Starred) for a in call.args):
        reasons.append("passes starred arguments")
    uses = [a for a in call.args if isinstance(a, ast.Name) and a.id == target.id]
    if len(uses) != 1 or len(_names_in(call, target.id)) != 1:
        reasons.append(f"the loop variable `{target.id}` is not passed exactly once as a plain argument")
    for arg in call.args:
        if arg not in uses and not _invariant(index, fn, arg):
            reasons.append(f"argument `{index.code(arg)}` is not provably bound and loop-invariant")
    if candidate.kind == "loop" and _names_in(candidate.iterable, target.id):
        reasons.append(f"the iterable uses the loop variable `{target.id}`")
    return reasons


def _loop_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    loop = candidate.node
    assert isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(candidate.target, ast.Name)
    reasons = []
    if loop.orelse:
        reasons.append("the loop has an `else` clause")
    if isinstance(loop, ast.AsyncFor):
        reasons.append("the loop is asynchronous")
    if any(r.startswith("the loop is inside a `try`") for r in handler_reasons(index, fn, loop, "result")):
        reasons.append("the loop is inside a `try` (partial results on failure could differ)")
    variable = candidate.target
    reads = index.function_scope(fn).references.get(variable.id, [])
    if any(not within(index, r, candidate.call) and not rebound_by_other_loop(index, loop, variable.id, r)
           for r in reads):
        reasons.append(f"the loop variable `{variable.id}` is used outside the call (e.g. after the loop)")
    return reasons + _out_reasons(index, fn, candidate)


def _out_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    out, loop, call = candidate.out, candidate.node, candidate.call
    assert call is not None
    if not isinstance(out, ast.Name) or index.binding(out) != "local":
        return [f"appends to `{index.code(out) if out is not None else '?'}`, which is not a local list"]
    reasons = []
    bindings = index.bindings(out)
    if not all(_fresh_list(index, b.statement) for b in bindings):
        reasons.append(f"`{out.id}` is not always bound to a fresh list")
    if _names_in(call, out.id) or _names_in(candidate.iterable, out.id):
        reasons.append(f"the call or the iterable uses `{out.id}`")
    outer = [n for n in enclosing_loops(index, loop, fn.node) if isinstance(n, (ast.For, ast.AsyncFor, ast.While))]
    for read in bindings[0].references:
        if read is out or _method_receiver(index, read):
            continue
        if not after(read, loop) or outer:
            reasons.append(f"`{out.id}` is used before the loop or in an enclosing loop (it could be shared)")
            break
    return reasons


def _iterable_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    """Executor.map consumes the iterable ahead of the calls: a lazy one would be run ahead of them."""
    iterable = candidate.iterable
    assert iterable is not None
    kinds = types.facts(index, fn).of(iterable)
    lazy = k.known(kinds) and bool(k.bases(kinds) & LAZY)
    generator = isinstance(iterable, ast.GeneratorExp) or (
        isinstance(iterable, ast.Call) and (callee := _callee(index, iterable)) is not None
        and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in index.own_nodes(callee, lambdas=False)))
    if lazy or generator:
        return [f"iterates `{index.code(iterable)}`, a lazy iterable (a generator or iterator): Executor.map would "
                "consume it ahead of the calls, even past a failing one"]
    return []


def _callee_reasons(index: ModuleIndex, fn: FunctionInfo, callee: FunctionInfo) -> list[str]:
    reasons = []
    if not io_evidence(index, callee.qualname):
        reasons.append(f"{callee.name} is not proven I/O-bound (no blocking call found)")
    reasons += [f"{callee.name} {r}" for r in independence_reasons(index, callee.qualname)]
    if callee.is_async:
        reasons.append(f"{callee.name} is async")
    if any(f.qualname == fn.qualname for f in reachable(index, callee)):
        reasons.append(f"{callee.name} calls back into {fn.qualname}")
    for function in reachable(index, callee):
        reasons += [f"{callee.name} {r}" for r in thread_local_reasons(index, function)]
        reasons += _stop_iteration(index, function, callee)
        reasons += _argument_attributes(index, function, callee)
    return list(dict.fromkeys(reasons))


def _stop_iteration(index: ModuleIndex, function: FunctionInfo, callee: FunctionInfo) -> list[str]:
    """``next(it)`` without a default lets StopIteration escape: Executor.map makes it RuntimeError."""
    return [f"{callee.name} may raise StopIteration ({index.code(n)}), which Executor.map turns into RuntimeError"
            for n in index.own(function, ast.Call, lambdas=False)
            if index.qualified_name(n.func) == "builtins.next" and len(n.args) == 1 and not n.keywords][:1]


def _argument_attributes(index: ModuleIndex, function: FunctionInfo, callee: FunctionInfo) -> list[str]:
    """An attribute read from an argument of unknown type: a threading.local reads differently on a
    worker thread."""
    facts = types.facts(index, function)
    params = {p.arg for p in all_params(function.node.args)}
    for node in index.own(function, ast.Attribute, lambdas=False):
        if isinstance(node.value, ast.Name) and node.value.id in params and index.binding(node.value) == "param" \
                and not k.known(facts.of(node.value)) and not isinstance(index.parent(node), ast.Call):
            return [f"{callee.name} reads `{index.code(node)}`, an attribute of an argument of unknown type (a "
                    "threading.local would read differently on a worker thread)"]
    return []


def _pool_name_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """``_evolver_pool`` may only be bound by pools this transform wrote."""
    for scope in index.function_scopes(fn):
        for binding in scope.bindings.get(POOL, []):
            statement = binding.statement
            with_node = index.parent(statement) if isinstance(statement, ast.withitem) else None
            if not (isinstance(with_node, ast.With) and _is_pool(index, with_node)):
                return [f"`{POOL}` is already a name in {fn.qualname}"]
    return []


def _invariant(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST) -> bool:
    """Bound whenever the loop runs and not rebound by it: a constant, a parameter of the enclosing
    function, or a module name bound once."""
    if isinstance(expr, ast.Constant):
        return True
    if not isinstance(expr, ast.Name):
        return False
    binding = index.binding(expr)
    if binding == "param":
        return all(b.kind == "param" for b in index.bindings(expr))
    if binding == "global":
        return is_constant(index, expr) or index.module_function(expr.id) is not None
    return binding == "import" and index.bound_once(expr.id)


def _fresh_list(index: ModuleIndex, statement: ast.AST) -> bool:
    value = getattr(statement, "value", None)
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or value is None:
        return False
    if isinstance(value, (ast.List, ast.ListComp)):
        return True
    return isinstance(value, ast.Call) and index.qualified_name(value.func) == "builtins.list"


def _method_receiver(index: ModuleIndex, node: ast.AST) -> bool:
    parent = index.parent(node)
    return isinstance(parent, ast.Attribute) and parent.value is node and isinstance(index.parent(parent), ast.Call)


def _names_in(node: ast.AST | None, name: str) -> list[ast.Name]:
    return [] if node is None else [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name]


# --- rewriting --------------------------------------------------------------------------------------


def _pooled(view: CstView, candidate: Pooled) -> tuple[cst.CSTNode, cst.With]:
    """The statement to replace, and the ``with`` pool that replaces it."""
    config = view.module.config_for_parsing
    newline = config.default_newline
    code = f"with {EXECUTOR}(max_workers={WORKERS}) as {POOL}:{newline}{config.default_indent}pass{newline}"
    template = cst.parse_statement(code, config=config)
    assert isinstance(template, cst.With) and candidate.call is not None
    if candidate.kind == "loop":
        loop = view.node(candidate.node, cst.For)
        line = loop.body.body[0] if isinstance(loop.body, cst.IndentedBlock) else loop.body
        small = line.body[0] if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else None
        assert isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
        append = small.value
        assert isinstance(append.func, cst.Attribute)
        mapped = _mapped(append.args[0].value, loop.target, loop.iter)
        inner = cst.Expr(cst.Call(cst.Attribute(append.func.value, cst.Name("extend")), [cst.Arg(mapped)]))
        body = cst.SimpleStatementLine([inner], trailing_whitespace=line.trailing_whitespace
                                       if isinstance(line, cst.SimpleStatementLine) else cst.TrailingWhitespace())
        header = loop.body.header if isinstance(loop.body, cst.IndentedBlock) else cst.TrailingWhitespace()
        indent = loop.body.indent if isinstance(loop.body, cst.IndentedBlock) else None
        return loop, template.with_changes(leading_lines=loop.leading_lines,
                                           body=cst.IndentedBlock([body], header=header, indent=indent))
    small_kind = cst.Assign if candidate.kind == "assign" else cst.Return
    small = view.node(candidate.node, small_kind)
    statement = view.line(small)
    comprehension = small.value  # type: ignore[attr-defined]
    assert isinstance(comprehension, cst.ListComp)
    mapped = _mapped(comprehension.elt, comprehension.for_in.target, comprehension.for_in.iter)
    listed = small.with_changes(value=cst.Call(cst.Name("list"), [cst.Arg(mapped)]))
    body = statement.with_changes(body=[listed], leading_lines=[])
    return statement, template.with_changes(leading_lines=statement.leading_lines,
                                            body=template.body.with_changes(body=[body]))


def _mapped(call: cst.BaseExpression, target: cst.BaseExpression, iterable: cst.BaseExpression) -> cst.Call:
    assert isinstance(call, cst.Call) and isinstance(target, cst.Name)
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    values = [iterable if isinstance(a.value, cst.Name) and a.value.value == target.value else
              cst.Call(cst.Attribute(cst.Name("itertools"), cst.Name("repeat")), [cst.Arg(a.value)]) for a in call.args]
    args = [cst.Arg(call.func, comma=comma)] + [
        cst.Arg(v, comma=comma if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT) for i, v in enumerate(values)]
    return cst.Call(cst.Attribute(cst.Name(POOL), cst.Name("map")), args)

