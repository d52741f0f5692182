"""thread-pool: run a loop's independent, I/O-bound calls concurrently on a thread pool."""

from __future__ import annotations

import ast
from typing import ClassVar

from evolver.analysis import kinds as k
from evolver.analysis import pooled, types
from evolver.analysis.callgraph import reachable, resolve_callee
from evolver.analysis.evidence import io_evidence
from evolver.analysis.independence import independence_reasons, thread_local_reasons
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import frame_reasons
from evolver.analysis.loops import positions
from evolver.analysis.tree import all_params, ancestors, enclosing_loops
from evolver.model import Site
from evolver.transforms import _pool
from evolver.transforms._cst import CstView
from evolver.transforms._guards import builtin_reasons
from evolver.transforms._pool import FUTURE, LAZY, POOL, PREFETCH, Pooled, loop_reasons, shape_reasons
from evolver.transforms.base import (
    NO_SITE,
    Context,
    Example,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    rewrite,
)


class ThreadPool(Transform):
    """Run the I/O-bound calls of a loop on a thread pool, keeping everything else in order.

    What it rewrites: inside a function, ``for x in xs: out.append(f(x))`` (or ``out = [f(x) for x
    in xs]``, or ``return [...]``) becomes (the map form)::

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:
            out.extend(_evolver_pool.map(f, xs))

    Extra loop-invariant positional arguments ``f(x, c)`` are passed as ``itertools.repeat(c)``. Any
    other ``for`` loop (per-item ``try``/``except``, ``continue``, more statements) or list, set or
    dict comprehension whose body makes an I/O call ``C`` (a module function proven I/O-bound, or a
    blocking library call: ``urlopen``, ``requests.get``, a file read, a module-level alias of one)
    gets the prefetch form: ``C`` is made ahead of time for every item, and the body, unchanged,
    reads each result where ``C`` stood::

        with _evolver_prefetch(lambda x: C, xs) as _evolver_pool:
            for x, _evolver_call in _evolver_pool:
                ...  _evolver_call.result()  ...

    Why it is faster: the calls spend their time blocked on I/O; up to 16 wait at once.

    Example: fetching 50 files behind a 30 ms round trip takes ~0.1 s instead of 1.5 s.

    Rewrite safety: the calls overlap and are made ahead of the loop, so a call after a failing one
    still runs (calls not yet started when the loop ends are cancelled). So every call made on a
    worker must be independent (it writes nothing shared, prints nothing, sends no state-changing
    request, mutates no argument: ``evolver.analysis.independence``), must not read thread-local
    state nor attributes of an object of unknown type (a ``threading.local`` reads differently on
    a worker thread) and must not call back into the function. ``xs`` is consumed before the first
    call: a provably lazy iterable (a generator, ``map``, a file) is refused; one of unknown type is
    taken to be a container (assumption arguments-not-lazy). Map form: ``f`` is a module function
    bound once, proven I/O-bound, that does not raise ``StopIteration`` (``Executor.map`` turns it
    into ``RuntimeError``); the loop variable is a plain name used only as one argument of the call;
    the loop has no ``else`` and is not inside a ``try``; ``out`` is a local always bound to a fresh
    list that is not used before the loop. ``Executor.map`` keeps the order and ``list.extend``
    consumes it progressively: when ``f(x_k)`` raises, the results before ``k`` are in ``out`` and
    the same exception propagates. Prefetch form (``evolver.analysis.pooled``): the loop never
    stops early and ``C`` runs on every pass, so the calls are the loop's own; ``future.result()``
    returns ``C``'s value or raises its exception (``StopIteration`` included) where ``C`` stood, so
    the body sees the same values and exceptions in the same order; ``C`` reads the same ahead of
    time (its names are bound before the loop and never rebound in it, the body changes nothing it
    reads, does not sleep between calls, and code it cannot see is taken not to: assumption
    foreign-code-contained); its result holds no open file or connection. Exact-type guard (map form):
    when ``f`` is proven independent only if its annotated parameters are exactly their builtins (it
    calls ``sku.encode()`` on ``sku: str``, which a ``str`` subclass may override), the pool runs
    behind ``if type(xs) is list and {*map(type, xs)} <= {str}:`` (each annotated extra argument
    tested too, every parameter passed), and the original loop stays in the ``else``. A container of
    unknown type gets ``(type(xs) is list or type(xs) is tuple) and ...``, its items' type from the
    loop parameter's annotation. The test iterates only an exact list or tuple (a generator is never
    touched), so it runs no code of the caller's; ``f``'s callees are still checked at their
    annotations' word. Relies on:
    timing-not-observed, quiet-special-methods, arguments-not-lazy, stdlib-as-documented,
    module-globals-private (and foreign-code-contained where listed).
    """

    name: ClassVar[str] = "thread-pool"
    description: ClassVar[str] = "run independent I/O-bound calls of a loop on a thread pool"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `for x in xs: out.append(f(x, c...))` with nothing else in the body, no else, or "
        "`out = [f(x) for x in xs]` / `return [...]` with one for and no if; inside a function",
        "f: a module function bound once, proven I/O-bound (blocking call, maybe through callees), or a blocking "
        "library call (urlopen, requests, sockets, file reads, a module-level alias of one)",
        "f proven independent: no global/nonlocal, no stores or mutating calls on non-locals, no "
        "writes to files, no prints/logging, no state-changing requests, not a method; no thread-local "
        "state or argument attributes read; no StopIteration (map form)",
        "exact-type guard (map form): f's annotated parameters are taken as exactly their builtins only behind a "
        "run-time test of every argument (xs an exact list or tuple of items of exactly the loop parameter's type, "
        "each annotated extra argument tested, every parameter passed by position); otherwise the original loop",
        "loop variable: a plain name, not rebound in the loop body; map form: used only as one positional argument "
        "of f, not after the loop",
        "extra arguments: constants, parameters or module names (bound, loop-invariant)",
        "out: a local bound only to fresh lists, not used before the loop; loop not inside try; xs not a "
        "provably lazy iterable (a generator is consumed ahead of the calls)",
        "prefetch form: the loop never stops early (no break/return/yield) and the call runs on every pass "
        "(not under an if, a with, a handler or a nested loop, nor after a continue or raise)",
        "prefetch form: the call's names are the loop variable or bound before the loop and never rebound in it; "
        "its arguments read no hidden input; the loop body changes nothing it reads (stores, mutating calls, "
        "module functions, file or network writes) and does not sleep between calls; its result holds no open "
        "file or connection",
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
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us):\n    return [fetch(u) for u in us if u]\n", "has an `if`"),
        leave("import time\n\n\ndef fetch(d):\n    time.sleep(0.1)\n    d['done'] = True\n    return d\n\n\n"
              "def run(ds):\n    return [fetch(d) for d in ds]\n", "stores into d"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us, registry):\n    out = []\n    registry.append(out)\n    for u in us:\n"
              "        out.append(fetch(u))\n    return out\n", "used before the loop"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef first(us):\n    for u in us:\n"
              "        try:\n            return fetch(u)\n        except OSError:\n            continue\n", "has a `return`"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us):\n    out = []\n    for u in us:\n"
              "        if u:\n            out.append(fetch(u))\n    return out\n", "only on some passes .it is under an `if`"),
        leave("import time\n\n\ndef fetch(u):\n    time.sleep(0.1)\n    return u\n\n\ndef run(us, seen):\n    out = []\n    for u in us:\n"
              "        out.append(fetch(u, seen))\n        seen.append(u)\n    return out\n", "changes `seen`"),
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
    examples += (
        rewrite("import time\n\n\ndef fetch(u: str) -> bytes:\n    time.sleep(0.03)\n    return u.encode()\n\n\n"
                "def fetch_all(us: list[str]) -> list[bytes]:\n    out = []\n    for u in us:\n        out.append(fetch(u))\n"
                "    return out\n",
                "import time\nimport concurrent.futures\n\n\ndef fetch(u: str) -> bytes:\n    time.sleep(0.03)\n"
                "    return u.encode()\n\n\ndef fetch_all(us: list[str]) -> list[bytes]:\n    out = []\n"
                "    if type(us) is list and {*map(type, us)} <= {str}:\n"
                "        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:\n"
                "            out.extend(_evolver_pool.map(fetch, us))\n    else:\n        for u in us:\n"
                "            out.append(fetch(u))\n    return out\n"),
        rewrite("import time\nfrom urllib.error import URLError\n\n\ndef fetch(u):\n    time.sleep(0.03)\n    return u\n\n\n"
                "def collect(records):\n    out = []\n    for r in records:\n        try:\n            out.append(fetch(r))\n"
                "        except URLError as e:\n            out.append((r, str(e)))\n    return out\n",
                "import time\nfrom urllib.error import URLError\nimport contextlib\nimport concurrent.futures\n\n\n"
                + _pool.HELPER.format(name=PREFETCH, workers=_pool.WORKERS) + "\n\n"
                "def fetch(u):\n    time.sleep(0.03)\n    return u\n\n\n"
                "def collect(records):\n    out = []\n    with _evolver_prefetch(lambda r: fetch(r), records) as _evolver_pool:\n"
                "        for r, _evolver_call in _evolver_pool:\n            try:\n                out.append(_evolver_call.result())\n"
                "            except URLError as e:\n                out.append((r, str(e)))\n    return out\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Pooled]:
        found = []
        for number, node in enumerate(positions(index, fn)):
            if _pool.is_guarded_original(index, node):  # the fallback of a guarded pool this transform wrote
                continue
            candidate = _candidate(index, fn, node, number)
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
        if candidate.form == "prefetch":
            reasons, assumed = _prefetch_reasons(index, fn, candidate)
            return Verdict(reasons, assumptions=assumed, features=features)
        assert isinstance(candidate.call, ast.Call)
        reasons = shape_reasons(index, fn, candidate)
        if not isinstance(candidate.target, ast.Name):
            return Verdict(reasons, features=features)
        if candidate.kind == "loop":
            reasons += loop_reasons(index, fn, candidate)
        reasons += _iterable_reasons(index, fn, candidate)
        if callee is None:
            return Verdict(reasons + [f"calls {index.code(candidate.call.func)}, which is not a module function "
                                      "bound once"], features=features)
        own = _callee_reasons(index, fn, callee)  # not I/O-bound: the reason that matters most
        found = _pool.exact_guard(index, fn, candidate, callee) if own else None
        guard = None
        if found is not None and not _callee_reasons(index, fn, callee, exact_params=True):
            guard, own = found[0], builtin_reasons(index, fn, found[1])
        index.cache[("thread-pool-guard", candidate.node)] = guard
        reasons = [r for r in own if "not proven I/O-bound" in r] + reasons + own
        needed = ["concurrent.futures"] + (["itertools"] if len(candidate.call.args) > 1 else [])
        reasons += [r for m in needed if (r := import_name_reason(index, fn, m)) is not None]
        reasons += _pool_name_reasons(index, fn)
        if guard is None or reasons:
            return Verdict(reasons, features=features)
        note = (f"runs on the pool only when `{guard}` (checked before the loop): then every argument is exactly "
                f"the builtin {callee.name}'s parameters are annotated with; otherwise the original loop runs")
        return Verdict([], [note], features=features | {"guarded": 1})

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find(index, site, ctx)
        view = CstView.of(index)
        if candidate.form == "prefetch":
            assert candidate.target is not None and candidate.owner is not None and candidate.call is not None
            variables = pooled.loop_variables(candidate.target)
            assert variables is not None and isinstance(candidate.node, ast.stmt)
            computed = pooled.substitutions(index, fn, candidate.call, variables, candidate.owner,
                                            candidate.node, _roots(candidate.owner))
            return _pool.prefetched(view, candidate.node, candidate.owner, candidate.call, variables, computed,
                                    helper=index.module_function(PREFETCH) is None).code
        assert isinstance(candidate.call, ast.Call)
        if ("thread-pool-guard", candidate.node) not in index.cache:
            self.check(index, fn, candidate, ctx)
        return _pool.mapped(view, candidate, index.cache[("thread-pool-guard", candidate.node)]).code


# --- finding candidates ------------------------------------------------------------------------------


def _candidate(index: ModuleIndex, fn: FunctionInfo, node: ast.stmt, number: int) -> Pooled | None:
    """The map form when the shape allows it, else the prefetch form when the loop or comprehension
    makes an I/O call; calls of builtins (``[str(x) for x in xs]``) are not candidates."""
    if isinstance(node, ast.With):
        return Pooled(node, number, "pool") if _pool.is_pool_with(index, node) else None
    kind, found = "loop", None
    if isinstance(node, (ast.For, ast.AsyncFor)):
        found = _loop_candidate(node, number)
        owner: ast.AST = node
        roots: list[ast.AST] = list(node.body)
        target, iterable = node.target, node.iter
    else:
        kind = "return" if isinstance(node, ast.Return) else "assign"
        value = getattr(node, "value", None)
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)) or (
                isinstance(node, ast.Return) and value is not None):
            found = _comprehension_candidate(node, value, kind, number)  # type: ignore[arg-type]
        if not isinstance(value, (ast.ListComp, ast.SetComp, ast.DictComp)):
            return found if found is not None and not _builtin_call(index, found) else None
        owner, target, iterable = value, value.generators[0].target, value.generators[0].iter
        roots = [value.key, value.value] if isinstance(value, ast.DictComp) else [value.elt]
    if found is not None and found.call is not None and not _builtin_call(index, found) \
            and _callee(index, found.call) is not None and not shape_reasons(index, fn, found):
        return found
    calls = pooled.io_calls(index, fn, roots)
    if calls:
        names = pooled.loop_variables(target) or []
        chosen = next((c for c in calls if pooled.uses_any(c, names)), calls[0])
        return Pooled(node, number, kind, pooled.pooled_expression(index, fn, chosen), target, iterable,
                      form="prefetch", owner=owner)
    if found is None or not _calls_a_def(index, fn, found.call.func):  # type: ignore[union-attr]
        return None  # no I/O, no function of the module: nothing to run on a pool
    return found


def _calls_a_def(index: ModuleIndex, fn: FunctionInfo, func: ast.AST) -> bool:
    """The callee is a function or method of the module (perhaps a nested or rebound one)."""
    if resolve_callee(index, fn, func) is not None:
        return True
    return isinstance(func, ast.Name) and any(isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef))
                                              for b in index.bindings(func))


def _builtin_call(index: ModuleIndex, found: Pooled) -> bool:
    func = found.call.func  # type: ignore[union-attr]
    return isinstance(func, ast.Name) and index.binding(func) == "builtin"


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


def _callee(index: ModuleIndex, call: ast.expr) -> FunctionInfo | None:
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or index.binding(call.func) != "global":
        return None
    return index.module_function(call.func.id)


# --- checks -----------------------------------------------------------------------------------------


def _iterable_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    """Executor.map consumes the iterable ahead of the calls: a lazy one would be run ahead of them.
    The prefetch form also takes ``enumerate``/``zip`` of such iterables, and a dict's view (the loop
    body may not change the dict: ``evolver.analysis.pooled``)."""
    assert candidate.iterable is not None
    return _lazy_reasons(index, fn, candidate.iterable, candidate.form == "prefetch")


def _lazy_reasons(index: ModuleIndex, fn: FunctionInfo, iterable: ast.expr, ahead: bool) -> list[str]:
    if ahead and isinstance(iterable, ast.Call) and not iterable.keywords:
        name = index.qualified_name(iterable.func)
        if name in ("builtins.enumerate", "builtins.zip") and not any(isinstance(a, ast.Starred) for a in iterable.args):
            walked = iterable.args[:1] if name == "builtins.enumerate" else iterable.args
            return [r for a in walked for r in _lazy_reasons(index, fn, a, ahead)]
        func = iterable.func
        if isinstance(func, ast.Attribute) and func.attr in ("items", "keys", "values") and not iterable.args \
                and isinstance(func.value, ast.Name) and k.is_(types.facts(index, fn).of(func.value), ("dict",)):
            return []
    kinds = types.facts(index, fn).of(iterable)
    lazy = k.known(kinds) and bool(k.bases(kinds) & LAZY)
    generator = isinstance(iterable, ast.GeneratorExp) or (
        isinstance(iterable, ast.Call) and (callee := _callee(index, iterable)) is not None
        and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in index.own_nodes(callee, lambdas=False)))
    if lazy or generator:
        return [f"iterates `{index.code(iterable)}`, a lazy iterable (a generator or iterator): Executor.map would "
                "consume it ahead of the calls, even past a failing one"]
    return []


def _callee_reasons(index: ModuleIndex, fn: FunctionInfo, callee: FunctionInfo, mapped: bool = True,
                    exact_params: bool = False) -> list[str]:
    """Why calls of ``callee`` may not overlap (``mapped``: made by Executor.map, which needs them
    I/O-bound and turns StopIteration into RuntimeError; a call made ahead may be any independent
    call that an I/O-bound one is nested in; ``exact_params``: behind a guard that made its annotated
    arguments exact)."""
    reasons = []
    if mapped and not io_evidence(index, callee.qualname):
        reasons.append(f"{callee.name} is not proven I/O-bound (no blocking call found)")
    reasons += [f"{callee.name} {r}" for r in independence_reasons(index, callee.qualname, exact_params)]
    if callee.is_async:
        reasons.append(f"{callee.name} is async")
    if any(f.qualname == fn.qualname for f in reachable(index, callee)):
        reasons.append(f"{callee.name} calls back into {fn.qualname}")
    for function in reachable(index, callee):
        reasons += [f"{callee.name} {r}" for r in thread_local_reasons(index, function)]
        reasons += _stop_iteration(index, function, callee) if mapped else []
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
    """``_evolver_pool`` and ``_evolver_call`` may only be bound by pools this transform wrote,
    ``_evolver_prefetch`` only by its helper."""
    for scope in index.function_scopes(fn):
        for name in (POOL, FUTURE):
            for binding in scope.bindings.get(name, []):
                if not any(isinstance(a, ast.With) and _pool.is_pool_with(index, a) for a in ancestors(index, binding.node)):
                    return [f"`{name}` is already a name in {fn.qualname}"]
    helper = index.global_bindings(PREFETCH)
    if helper and index.module_function(PREFETCH) is None:
        return [f"`{PREFETCH}` is already bound in the module"]
    return []


def _prefetch_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> tuple[list[str], list[str]]:
    """The prefetch form: the calls made ahead of time, the loop unchanged (``evolver.analysis.pooled``)."""
    owner, expr, statement, iterable = candidate.owner, candidate.call, candidate.node, candidate.iterable
    assert owner is not None and expr is not None and iterable is not None and isinstance(statement, ast.stmt)
    variables = pooled.loop_variables(candidate.target)  # type: ignore[arg-type]
    if variables is None:
        return [f"the loop target `{index.code(candidate.target)}` is not a name or a flat tuple of names"], []  # type: ignore[arg-type]
    reasons = []
    if isinstance(owner, (ast.For, ast.AsyncFor)):
        reasons += ["the loop is asynchronous"] if isinstance(owner, ast.AsyncFor) else []
        reasons += pooled.stop_reasons(owner.body)
        roots: list[ast.AST] = list(owner.body)
    else:
        assert isinstance(owner, (ast.ListComp, ast.SetComp, ast.DictComp))
        clause = owner.generators[0]
        reasons += ["the comprehension has a second `for`"] if len(owner.generators) > 1 else []
        reasons += ["the comprehension has an `if`: the call runs only for the items that pass it (the pool would "
                    "make it for every item)"] if clause.ifs else []
        reasons += ["the comprehension is asynchronous"] if clause.is_async else []
        roots = [owner.key, owner.value] if isinstance(owner, ast.DictComp) else [owner.elt]
    reasons += pooled.every_pass_reasons(index, expr, owner)
    computed = pooled.substitutions(index, fn, expr, variables, owner, statement, roots)
    if not (pooled.uses_any(expr, variables) or any(pooled.uses_any(v, variables) for v in computed.values())):
        reasons.append(f"the I/O call `{index.code(expr)}` does not use the loop variable `{variables[0]}` (a repeated "
                       "call, such as a delay or a poll)")
    reasons += pooled.call_reasons(index, fn, expr)
    for node in ast.walk(expr):
        callee = resolve_callee(index, fn, node.func) if isinstance(node, ast.Call) else None
        reasons += _callee_reasons(index, fn, callee, mapped=False) if callee is not None else []
    reasons += pooled.name_reasons(index, fn, expr, variables, owner, statement, roots, frozenset(computed))
    reasons += pooled.resource_reasons(index, fn, expr)
    reasons += _iterable_reasons(index, fn, candidate)
    read = variables + [n.id for v in computed.values() for n in ast.walk(v) if isinstance(n, ast.Name)]
    body, assumed = pooled.body_reasons(index, fn, roots, expr, read, iterable)
    reasons += body + frame_reasons(index, fn)
    reasons += [r for m in ("concurrent.futures", "contextlib") if (r := import_name_reason(index, fn, m)) is not None]
    return list(dict.fromkeys(reasons + _pool_name_reasons(index, fn))), assumed


def _roots(owner: ast.AST) -> list[ast.AST]:
    """What runs per item: a loop's body, a comprehension's element (or key and value)."""
    if isinstance(owner, (ast.For, ast.AsyncFor)):
        return list(owner.body)
    return [owner.key, owner.value] if isinstance(owner, ast.DictComp) else [owner.elt]  # type: ignore[attr-defined]
