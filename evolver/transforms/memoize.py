"""memoize: cache a pure module function's results with ``functools.lru_cache``, behind a guard."""

from __future__ import annotations

import ast
from typing import ClassVar

import libcst as cst

from evolver.analysis import annotations as annotated
from evolver.analysis import kinds as k
from evolver.analysis import memo
from evolver.analysis.callgraph import callees_of
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.purity import default_reasons, purity_reasons
from evolver.analysis.tree import all_params, default_of
from evolver.model import Site
from evolver.transforms import _memo_guard
from evolver.transforms._cst import CstView, add_import
from evolver.transforms._guards import builtin_reasons
from evolver.transforms.base import (
    GENERATED,
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    rewrite,
)

DECORATOR = "functools.lru_cache(maxsize=None, typed=True)"
UNTYPED = "functools.lru_cache(maxsize=None)"  # behind a guard admitting, per argument, no two types with equal values
_FIB = "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"


def _cached(name: str, params: str, returns: str, body: str, guard: str, passed: str, copy: str | None = None) -> str:
    """An example's expected rewrite: the cached copy, then the guard in front of it."""
    return (f"@{UNTYPED}\ndef {GENERATED}{name}({copy or params}){returns}:\n{body}\n\n"
            f"def {name}({params}){returns}:\n    if {guard}:\n        return {GENERATED}{name}({passed})\n"
            f"    return {GENERATED}{name}.__wrapped__({passed})  # not exact: the original, uncached\n")


class Memoize(Transform):
    """Cache a pure module-level function with ``functools.lru_cache(maxsize=None, typed=True)``, for
    arguments of exactly the types it was proven for.

    What it rewrites: the ``def`` of a module-level function whose result depends only on its
    arguments becomes a cached copy and a guard in front of it (a function without parameters, or
    none that can be tested exactly, is decorated in place); ``import functools`` is added when the
    module lacks it.

    Why it is faster: a call with arguments seen before returns the stored result instead of
    recomputing it; an exponential recursion becomes linear.

    Example::

        def fib(n: int) -> int:                    @functools.lru_cache(maxsize=None)
            return n if n < 2 else ...      ->     def _evolver_fib(n: int) -> int:
                                                       return n if n < 2 else ...
                                                   def fib(n: int) -> int:
                                                       if type(n) is int:
                                                           return _evolver_fib(n)
                                                       return _evolver_fib.__wrapped__(n)

    Rewrite safety: the cache answers a call with the result of an earlier call whose arguments
    were equal and of the same top-level types. That is the function's own result when the function
    is pure (its result depends on its arguments alone, and it changes nothing:
    ``evolver.analysis.purity``), equal arguments of one type are interchangeable (assumption
    equal-keys-interchangeable), and equal elements of different types inside a tuple key (1 and
    True, a str and a str enum) cannot be told apart by the function (it only computes with them:
    ``dims[0] * dims[1]`` is applicable, ``repr(key)`` is refused). Every parameter is annotated with
    an immutable hashable builtin type (an unhashable argument would raise TypeError); floats are
    refused (0.0 and -0.0 share an entry); every default is an immutable constant; the returned value
    is provably an exact immutable builtin (the cached object is handed to every later caller; the
    return annotation is a claim, the body is what counts); parameters are never mutated; a
    recursion through a single self-call is refused (no gain within a call, and RecursionError would
    come at about half the depth). The body moves unchanged into a cached copy ``_evolver_<name>``,
    and the function (same name, signature, defaults and docstring) calls the copy only when every
    argument is exactly of its annotated type (``type(word) is str``, tested on every call: a str
    subclass with its own ``__eq__``/``__hash__`` would merge keys); otherwise it calls the copy's
    ``__wrapped__``, the original code, uncached. An annotation that cannot be tested exactly is taken
    at its word. When the guard tests every argument and admits, for each, no two types whose values
    can be equal (int and bool can: 1 == True), ``typed=True`` separates nothing and is left out (one
    exact str or int argument is then its own key). The last parameters whose defaults are None, True
    or False are left out of the key when the call leaves each at its default, tested by identity
    (``loud is False``: 0 equals False but is not it); the copy keeps those defaults, so it computes
    the same call. A parameter without annotation is not refused outright: the whole check is run again
    supposing it exactly an int, a str or a bytes (the likeliest first, from what the body compares it
    with, tests it against or calls on it), and when it passes, the guard tests that type. What the
    check proved for exact types then holds on every cached call, and nothing else is cached.
    Relies on: stdlib-as-documented, module-globals-private,
    builtins-unchanged, equal-keys-interchangeable, annotations-hold, identity-not-observed,
    recursion-headroom (recursive functions), finalizers-quiet.
    """

    name: ClassVar[str] = "memoize"
    description: ClassVar[str] = "cache the results of a pure module function (functools.lru_cache)"
    preconditions: ClassVar[tuple[str, ...]] = (
        "module-level def, not async, not a generator, no decorators, bound once, no global/nonlocal; not a "
        "recursion through a single self-call",
        "every parameter annotated with an immutable hashable type (int, bool, str, bytes, None, tuple/frozenset/"
        "Optional/Union/Literal of those; no float), or without annotation and then supposed exactly an int, str "
        "or bytes, tested on every call (`type(n) is int`, the original runs uncached otherwise); constant "
        "defaults; equal elements of different types in a tuple key not told apart",
        "return value immutable (every returned expression provably an exact immutable builtin)",
        "body pure: reads only arguments, locals and immutable module constants; calls only pure "
        "builtins, pure standard-library functions and pure module functions",
        "parameters never mutated",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("stdlib-as-documented", "module-globals-private", "builtins-unchanged",
                                              "equal-keys-interchangeable", "annotations-hold", "identity-not-observed",
                                              "finalizers-quiet")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("import random\n\ndef roll(n: int) -> int:\n    return random.randint(1, n)\n", "random"),
        leave("def shout(s: str) -> str:\n    print(s)\n    return s.upper()\n", "prints"),
        leave("import time\n\ndef stamp(s: str) -> str:\n    return f'{s}@{time.time()}'\n", "reads the clock"),
        leave("import os\n\ndef home(s: str) -> str:\n    return os.environ['HOME'] + s\n", "os.environ"),
        leave("def size(path: str) -> int:\n    return len(open(path).read())\n", "open|unknown method"),
        leave("import helper\n\ndef h(x: int) -> int:\n    return helper.foo(x)\n", "unknown function helper.foo"),
        leave("WEIGHTS = {'a': 1}\n\ndef weight(k: str) -> int:\n    return WEIGHTS.get(k, 0)\n",
              "module global WEIGHTS .*mutable dict"),
        leave("class C:\n    def m(self, x: int) -> int:\n        return x + 1\n", "is a method"),
        leave("def outer(x):\n    def inner(y: int) -> int:\n        return y * 2\n    return inner(x)\n",
              "is a nested function"),
        leave("def gen(n: int):\n    yield n\n", "is a generator"),
        leave("async def double(n: int) -> int:\n    return n * 2\n", "is async"),
        leave("def f(n: int) -> int:\n    return n + 1\n\nf = None\n", "rebound elsewhere"),
        leave("def total(xs: list) -> int:\n    return sum(xs)\n", "`xs` has no immutable hashable annotation"),
        leave("def pairs(n: int) -> tuple[int, int]:\n    return [n, n]\n", "return value .* not provably immutable"),
        leave("def pairs(n: int):\n    return [n, n]\n", "return value .* not provably immutable"),
        leave("import functools\n\n@functools.wraps(len)\ndef f(n: int) -> int:\n    return n\n", "has decorators"),
        leave("COUNT = 0\n\ndef bump(n: int) -> int:\n    global COUNT\n    COUNT += n\n    return COUNT\n",
              "declares global COUNT"),
        leave("def f(n: int, acc: list[int]) -> int:\n    acc.append(n)\n    return n\n", "mutates parameter `acc`"),
        leave("def f(n: int, seen: frozenset[int] = frozenset(), extra=[]) -> int:\n    return n\n",
              "default value of `extra`"),
        leave("def f(n: int) -> int:\n    return n\n\n\nf.calls = 0\n", "its attributes are used"),
        # 0.0 and -0.0 are one key: f(-0.0) would return "0.0"
        leave("def show(x: float) -> str:\n    return str(x)\n", "0.0 and -0.0"),
        # (1,) and (True,) are one key, and typed=True does not look inside tuples
        leave("def show(xs: tuple[int | bool, ...]) -> str:\n    return repr(xs)\n", "1 and True"),
        leave("def depth(n: int) -> int:\n    return 0 if n == 0 else 1 + depth(n - 1)\n", "one self-call"),
        leave("def f(*ns: int) -> int:\n    return len(ns)\n", r"\*args"),
        # no annotation: no exact type checked at run time makes appending to `xs` pure
        leave("def push(xs):\n    xs.append(1)\n    return len(xs)\n", "no exact argument type checked at run time"),
        leave("TABLE = {}\n\ndef look(k):\n    return TABLE.get(k)\n", "module global TABLE .*mutable dict"),
        leave("def f(n):\n    return n + 1\n\n\n_evolver_f = None\n", "the name _evolver_f is taken"),
    )
    examples += (
        rewrite(_FIB, "import functools\n\n" + _cached("fib", "n: int", " -> int", _FIB.split(":\n", 1)[1],
                                                         "type(n) is int", "n")),
        rewrite('"""Scores."""\nimport functools\nimport math\n\nBASE = 3\nSTOP = frozenset({"a", "an"})\n\n\n'
                "# the score of a word\ndef score(word: str, scale: int = 1):\n"
                "    if word in STOP:\n        return 0.0\n    return math.log(len(word) + BASE) * scale\n",
                '"""Scores."""\nimport functools\nimport math\n\nBASE = 3\nSTOP = frozenset({"a", "an"})\n\n\n'
                "# the score of a word\n" + _cached(
                    "score", "word: str, scale: int = 1", "", "    if word in STOP:\n        return 0.0\n"
                    "    return math.log(len(word) + BASE) * scale\n", "type(word) is str and type(scale) is int",
                    "word, scale")),
        # (2, 3) and (True, 3) share an entry, and the product cannot tell them apart; a call that leaves
        # `scale` at its default None calls the copy without it (a shorter key)
        rewrite("def area(dims: tuple[int, int], *, scale: int | None = None) -> int:\n"
                "    return dims[0] * dims[1] * (scale or 1)\n",
                "import functools\n\n@functools.lru_cache(maxsize=None)\n"
                "def _evolver_area(dims: tuple[int, int], scale: int | None = None) -> int:\n"
                "    return dims[0] * dims[1] * (scale or 1)\n\n\n"
                "def area(dims: tuple[int, int], *, scale: int | None = None) -> int:\n"
                "    if type(dims) is tuple and len(dims) == 2 and type(dims[0]) is int and type(dims[1]) is int:\n"
                "        if scale is None:\n            return _evolver_area(dims)\n"
                "        if type(scale) is int or scale is None:\n            return _evolver_area(dims, scale)\n"
                "    return _evolver_area.__wrapped__(dims, scale)  # not exact: the original, uncached\n"),
        rewrite("import re\n\ndef is_even(n: int) -> bool:\n    return n == 0 or is_odd(n - 1)\n\n\n"
                "def is_odd(n: int) -> bool:\n    return n != 0 and is_even(n - 1)\n\n\n"
                "def words(text: str) -> tuple[str, ...]:\n    return tuple(w.lower() for w in re.findall(r'\\w+', text))\n",
                "import re\nimport functools\n\n"
                + _cached("is_even", "n: int", " -> bool", "    return n == 0 or is_odd(n - 1)\n", "type(n) is int", "n")
                + "\n\n" + _cached("is_odd", "n: int", " -> bool", "    return n != 0 and is_even(n - 1)\n",
                                   "type(n) is int", "n")
                + "\n\n" + _cached("words", "text: str", " -> tuple[str, ...]",
                                   "    return tuple(w.lower() for w in re.findall(r'\\w+', text))\n",
                                   "type(text) is str", "text")),
        # no annotation: cached when the argument is exactly an int, checked on every call
        rewrite('def to_roman(n):\n    """n in Roman numerals."""\n    if not isinstance(n, int):\n'
                '        raise TypeError("not an int")\n    out = ""\n'
                '    for sym, val in (("X", 10), ("V", 5), ("I", 1)):\n        while n >= val:\n'
                '            out += sym\n            n -= val\n    return out\n',
                "import functools\n\n@functools.lru_cache(maxsize=None)\ndef _evolver_to_roman(n):\n"
                '    if not isinstance(n, int):\n        raise TypeError("not an int")\n    out = ""\n'
                '    for sym, val in (("X", 10), ("V", 5), ("I", 1)):\n        while n >= val:\n'
                '            out += sym\n            n -= val\n    return out\n\n\n'
                'def to_roman(n):\n    """n in Roman numerals."""\n    if type(n) is int:\n'
                "        return _evolver_to_roman(n)\n"
                "    return _evolver_to_roman.__wrapped__(n)  # not exact: the original, uncached\n"),
        # the cached copy is called only by its guard, with every argument by position (the cheapest key)
        # a one-line body: the cached copy keeps it, the guard gets an indented block
        rewrite("def add(x: int, y: int) -> int: return x + y\n",
                "import functools\n\n@functools.lru_cache(maxsize=None)\n"
                "def _evolver_add(x: int, y: int) -> int: return x + y\n\n\n"
                "def add(x: int, y: int) -> int:\n    if type(x) is int and type(y) is int:\n"
                "        return _evolver_add(x, y)\n"
                "    return _evolver_add.__wrapped__(x, y)  # not exact: the original, uncached\n"),
        rewrite('def label(n, *, sep="-"):\n    return sep.join([str(n)] * 3)\n',
                "import functools\n\n@functools.lru_cache(maxsize=None)\n"
                'def _evolver_label(n, sep):\n    return sep.join([str(n)] * 3)\n\n\n'
                'def label(n, *, sep="-"):\n    if type(n) is int and type(sep) is str:\n'
                "        return _evolver_label(n, sep)\n"
                "    return _evolver_label.__wrapped__(n, sep)  # not exact: the original, uncached\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Candidate]:
        return [Candidate(fn.node, None)]

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Candidate, ctx: Context) -> Verdict:
        verdict = self._check(index, fn)
        open_names = [p.arg for p in all_params(fn.node.args) if p.annotation is None]
        if not verdict.reasons or not open_names or not all(_typed(r, open_names) for r in verdict.reasons):
            return self._guarded(index, fn, verdict, {})
        tries = _memo_guard.key_suppositions(index, fn, open_names)
        for types in tries:
            other, found = _memo_guard.supposed(index, fn, types)
            supposed = self._check(other, found)
            if not supposed.reasons:
                return self._guarded(index, fn, supposed, types)
        shown = " or ".join(", ".join(f"`{n}` as {t}" for n, t in types.items()) for types in tries)
        return Verdict(verdict.reasons + [f"no exact argument type checked at run time ({shown}) proves the rest"],
                       verdict.notes, verdict.assumptions, verdict.features)

    def _check(self, index: ModuleIndex, fn: FunctionInfo) -> Verdict:
        shape = memo.shape_reasons(index, fn) + _guard_reasons(index, fn)
        if fn.cls is not None or fn.nested:
            return Verdict(shape)
        args = fn.node.args
        reasons = shape + (["has *args or **kwargs"] if args.vararg or args.kwarg else [])
        reasons += memo.key_reasons(index, fn, all_params(args)) + default_reasons(index, fn)
        reasons += memo.return_reasons(index, fn) + memo.mutated_parameter_reasons(index, fn)
        reasons += purity_reasons(index, fn.qualname) + memo.attribute_reasons(index, fn)
        reasons += memo.recursion_reasons(index, fn)
        blocked = import_name_reason(index, None, "functools")
        if blocked:
            reasons.append(blocked)
        recursive = _recursive(index, fn)
        notes = []
        if recursive:
            notes.append("recursive: each level also passes through the cache wrapper (and the type guard), so an "
                         "uncached recursion hits RecursionError at about half (a third) of the original depth")
        features = {"pure": int(not purity_reasons(index, fn.qualname)), "recursive_cycle": int(recursive)}
        return Verdict(reasons, notes, ["recursion-headroom"] if recursive else [], features)

    def _guarded(self, index: ModuleIndex, fn: FunctionInfo, verdict: Verdict, supposed: dict[str, str]) -> Verdict:
        """The verdict, with the run-time guard that makes every key argument exact (when one is needed)."""
        if verdict.reasons:
            index.cache[("memo-key-supposed", fn.node)] = {}
            return verdict
        guard = key_guard(index, fn, supposed)
        if guard is None:
            return verdict
        read = sorted({n.id for n in ast.walk(ast.parse(guard, mode="eval")) if isinstance(n, ast.Name)}
                      & {"type", "len", "all"})
        reasons = builtin_reasons(index, fn, read)
        helper = GENERATED + fn.name
        if index.global_bindings(helper) or helper in index.names():
            reasons.append(f"the name {helper} is taken in the module")
        if reasons:
            return Verdict(reasons, features=verdict.features)
        note = (f"cached only when `{guard}` (checked on every call); otherwise the original code runs, uncached"
                + (f"; the parameters without annotation are supposed {', '.join(f'`{n}` {t}' for n, t in supposed.items())}"
                   if supposed else ""))
        return Verdict([], [*verdict.notes, note], verdict.assumptions, verdict.features | {"guarded": 1})

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, _ = self.find(index, site, ctx)
        view = CstView.of(index)
        original = view.node(fn.node, cst.FunctionDef)
        decorator = cst.Decorator(decorator=view.parse_expression(DECORATOR))
        if ("memo-key-supposed", fn.node) not in index.cache:
            self.check(index, fn, Candidate(fn.node, None), ctx)
        supposed = index.cache.get(("memo-key-supposed", fn.node), {})
        guard = key_guard(index, fn, supposed)
        if guard is None:
            return add_import(view.replace({id(original): original.with_changes(decorators=[decorator])}),
                              "functools").code
        helper = GENERATED + fn.name
        body = list(original.body.body)
        docstring = body[:1] if original.get_docstring(clean=False) is not None and len(body) > 1 else []
        exact = all(test is not None for _, test, _ in _key_tests(index, fn, supposed)) and not any(
            {"int", "bool"} <= {kind.base for kind in declared} for _, _, declared in _key_tests(index, fn, supposed))
        cached = original.with_changes(name=cst.Name(helper), body=original.body.with_changes(body=body[len(docstring):]),
                                       decorators=[decorator if not exact else cst.Decorator(
                                           decorator=view.parse_expression(UNTYPED))])
        every = [*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs]
        elided = _elided(fn)
        if fn.node.args.kwonlyargs or fn.node.args.posonlyargs or elided:  # the copy takes every argument by
            cst_every = [*original.params.posonly_params, *original.params.params, *original.params.kwonly_params]
            cached = cached.with_changes(params=cst.Parameters(params=[  # position: the cheapest key for the cache
                p if i >= len(every) - len(elided) else
                p.with_changes(default=None, equal=cst.MaybeSentinel.DEFAULT, comma=cst.MaybeSentinel.DEFAULT)
                for i, p in enumerate(cst_every)]))
        passed = ", ".join(p.arg for p in every)
        front = view.parse_statement(f"def f():\n{_front(index, fn, supposed, guard, helper, passed, elided)}"
                                     f"    return {helper}.__wrapped__({passed})  # not exact: the original, uncached\n")
        assert isinstance(front, cst.FunctionDef)
        if isinstance(original.body, cst.IndentedBlock):
            block = original.body.with_changes(body=[*docstring, *front.body.body])
        else:  # a one-line body (`def f(x): return x`): the guard's `if` needs an indented block
            block = cst.IndentedBlock(body=[*(cst.SimpleStatementLine(body=[d]) for d in docstring),  # type: ignore[list-item]
                                            *front.body.body])
        wrapper = original.with_changes(body=block, leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        both = cst.FlattenSentinel([cached, wrapper])
        return add_import(view.replace({id(original): both}), "functools").code


def _elided(fn: FunctionInfo) -> list[ast.arg]:
    """The last parameters (in the cached copy's order), each with a default of None, True or False: a call
    that leaves them all at their default (tested by identity: each is its one object) calls the cached
    copy without them, a shorter key (one exact str or int argument is its own key in lru_cache)."""
    every = [*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs]
    elided: list[ast.arg] = []
    for param in reversed(every):
        default = default_of(fn.node.args, param)
        if not (isinstance(default, ast.Constant) and type(default.value) in (bool, type(None))):
            break
        elided.insert(0, param)
    return elided


def _front(index: ModuleIndex, fn: FunctionInfo, supposed: dict[str, str], guard: str, helper: str, passed: str,
           elided: list[ast.arg]) -> str:
    """The guard's lines in front of the fallback: the cached copy for exactly typed arguments, without the
    elided ones when each is its default object."""
    if not elided:
        return f"    if {guard}:\n        return {helper}({passed})\n"
    names = {p.arg for p in elided}
    tests = [(p, test) for p, test, _ in _key_tests(index, fn, supposed) if test is not None]
    rest = _all([t for p, t in tests if p.arg not in names])
    tail = _all([t for p, t in tests if p.arg in names])
    default = " and ".join(f"{p.arg} is {ast.unparse(default_of(fn.node.args, p))}" for p in elided)  # type: ignore[arg-type]
    kept = ", ".join(p.arg for p in [*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs]
                     if p.arg not in names)
    lines = [f"if {default}:", f"    return {helper}({kept})"]
    lines += [f"if {tail}:", f"    return {helper}({passed})"] if tail else [f"return {helper}({passed})"]
    if rest:
        lines = [f"if {rest}:", *("    " + line for line in lines)]
    return "".join(f"    {line}\n" for line in lines)


def _term(test: str) -> str:
    return f"({test})" if " or " in test else test


def _all(tests: list[str]) -> str:
    return tests[0] if len(tests) == 1 else " and ".join(_term(t) for t in tests)


def _key_tests(index: ModuleIndex, fn: FunctionInfo, supposed: dict[str, str]) -> list[tuple[ast.arg, str | None, k.Type]]:
    """Each parameter, the test that its argument is exactly of a type the check proved the function for
    (None: cannot be tested exactly), and the kinds it admits."""
    tests = []
    for param in all_params(fn.node.args):
        declared = annotated.declared(index, ast.parse(supposed[param.arg], mode="eval").body) \
            if param.arg in supposed else annotated.declared(index, param.annotation)
        tests.append((param, _memo_guard.exact_test(param.arg, declared), declared))
    return tests


def key_guard(index: ModuleIndex, fn: FunctionInfo, supposed: dict[str, str]) -> str | None:
    """``type(n) is int and ...``: the test that every key argument is exactly of a type the check proved
    the function for (its annotation's, or the one supposed for a parameter without annotation); None
    when the function has no parameter, or no parameter can be tested exactly."""
    index.cache[("memo-key-supposed", fn.node)] = supposed
    tests = []
    for param, test, _ in _key_tests(index, fn, supposed):
        if test is None and param.arg in supposed:
            return None
        if test is not None:
            tests.append(_term(test))
    return " and ".join(tests) or None


def _typed(reason: str, names: list[str]) -> bool:
    """A reason that an exact argument type could settle: about a parameter without annotation, or a
    value whose type is unknown."""
    return any(f"`{name}`" in reason for name in names) or "not provably immutable" in reason or \
        "not proven an exact builtin value" in reason


def _guard_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The guard evolver wrote in front of a cached copy is not memoized again."""
    helper = GENERATED + fn.name
    calls = [n for n in index.own(fn, ast.Name) if n.id == helper and index.binding(n) == "global"]
    return [f"is the run-time guard in front of its cached copy {helper} (memoized already)"] if calls else []


def _recursive(index: ModuleIndex, fn: FunctionInfo) -> bool:
    seen: set[str] = set()
    pending = list(callees_of(index, fn))
    while pending:
        callee = pending.pop()
        if callee is fn:
            return True
        if callee.qualname not in seen:
            seen.add(callee.qualname)
            pending.extend(callees_of(index, callee))
    return False
