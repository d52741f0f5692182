"""memoize: cache a pure module function's results with ``functools.lru_cache``, behind a guard."""

from __future__ import annotations

import ast
from typing import ClassVar

import libcst as cst

from evolver.analysis import memo
from evolver.analysis.callgraph import callees_of
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.purity import default_reasons, purity_reasons
from evolver.analysis.tree import all_params
from evolver.model import Site
from evolver.transforms._cst import CstView, add_import
from evolver.transforms.base import (
    GENERATED,
    Candidate,
    Context,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    rewrite,
)

DECORATOR = "functools.lru_cache(maxsize=None, typed=True)"
_FIB = "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"


class Memoize(Transform):
    """Cache a pure module-level function's results with ``functools.lru_cache``.

    What it rewrites: the function's body moves into ``_evolver_<name>``, decorated with
    ``@functools.lru_cache(maxsize=None, typed=True)``; the function keeps its name, signature
    and docstring and calls the cached version when every argument is exactly the builtin its
    annotation names (``type(n) is int``, element by element for a tuple), the original otherwise.

    Why it is faster: a call with arguments seen before returns the stored result instead of
    recomputing it; an exponential recursion becomes linear.

    Example::

        def fib(n: int) -> int:                  @functools.lru_cache(maxsize=None, typed=True)
            return n if n < 2 else ...           def _evolver_fib(n: int) -> int:
                                          ->         return n if n < 2 else fib(n - 1) + fib(n - 2)

                                                 def fib(n: int) -> int:
                                                     if type(n) is int:
                                                         return _evolver_fib(n)
                                                     return _evolver_fib.__wrapped__(n)

    Rewrite safety: the cache answers a call with the result of an earlier call whose arguments
    were equal and of the same top-level types. That is the function's own result only when the
    function is pure (its result depends on its arguments alone, and it changes nothing) and equal
    arguments cannot be told apart. Annotations are claims: a ``str`` may be a subclass with its
    own ``__eq__``/``__hash__`` (or a ``StrEnum`` equal to a plain str inside a tuple), so the guard
    sends any call whose arguments are not exactly the annotated builtins to the original function,
    and purity is proven for exact arguments (``evolver.analysis.purity``). Floats are refused
    (0.0 and -0.0, 1 and 1.0 share entries); the returned value must be an exact immutable builtin
    (the cached object is handed to every later caller; the return annotation is not trusted); a
    recursion through a single self-call is refused (no gain inside a call, and RecursionError
    would come at a third of the depth). Relies on: stdlib-as-documented, module-globals-private,
    builtins-unchanged, identity-not-observed, recursion-headroom (recursive functions),
    finalizers-quiet.
    """

    name: ClassVar[str] = "memoize"
    description: ClassVar[str] = "cache the results of a pure module function (functools.lru_cache)"
    preconditions: ClassVar[tuple[str, ...]] = (
        "module-level def, not async, not a generator, no decorators, bound once, no global/nonlocal",
        "every parameter annotated with an immutable hashable type (guarded exact at run time); no floats; "
        "constant defaults; no *args/**kwargs",
        "return value immutable: every returned expression provably an exact immutable builtin",
        "body pure for exact arguments: reads only arguments, locals and immutable module constants; calls "
        "only pure builtins, pure standard-library functions and pure module functions",
        "parameters never mutated",
        "not a recursion through a single self-call (the depth would be a third)",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("stdlib-as-documented", "module-globals-private", "builtins-unchanged",
                                              "identity-not-observed", "finalizers-quiet")
    examples = (
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
    )
    examples += (
        rewrite(_FIB, "import functools\n\n@functools.lru_cache(maxsize=None, typed=True)\n"
                "def _evolver_fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n\n"
                "def fib(n: int) -> int:\n    if type(n) is int:\n        return _evolver_fib(n)\n"
                "    return _evolver_fib.__wrapped__(n)\n"),
        rewrite('"""Scores."""\nimport functools\nimport math\n\nBASE = 3\nSTOP = frozenset({"a", "an"})\n\n\n'
                "# the score of a word\ndef score(word: str, scale: int = 1):\n"
                '    """Higher for longer words."""\n'
                "    if word in STOP:\n        return 0.0\n    return math.log(len(word) + BASE) * scale\n",
                '"""Scores."""\nimport functools\nimport math\n\nBASE = 3\nSTOP = frozenset({"a", "an"})\n\n\n'
                "# the score of a word\n@functools.lru_cache(maxsize=None, typed=True)\n"
                "def _evolver_score(word: str, scale: int = 1):\n"
                "    if word in STOP:\n        return 0.0\n    return math.log(len(word) + BASE) * scale\n\n\n"
                "def score(word: str, scale: int = 1):\n"
                '    """Higher for longer words."""\n'
                "    if type(word) is str and type(scale) is int:\n        return _evolver_score(word, scale)\n"
                "    return _evolver_score.__wrapped__(word, scale)\n"),
        rewrite("def area(dims: tuple[int, int], *, scale: int | None = None) -> int:\n"
                "    return dims[0] * dims[1] * (scale or 1)\n",
                "import functools\n\n@functools.lru_cache(maxsize=None, typed=True)\n"
                "def _evolver_area(dims: tuple[int, int], *, scale: int | None = None) -> int:\n"
                "    return dims[0] * dims[1] * (scale or 1)\n\n\n"
                "def area(dims: tuple[int, int], *, scale: int | None = None) -> int:\n"
                "    if (type(dims) is tuple and len(dims) == 2 and type(dims[0]) is int and type(dims[1]) is int) "
                "and (type(scale) is int or scale is None):\n"
                "        return _evolver_area(dims, scale=scale)\n"
                "    return _evolver_area.__wrapped__(dims, scale=scale)\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Candidate]:
        return [Candidate(fn.node, None)]

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Candidate, ctx: Context) -> Verdict:
        if _wrapper(fn):
            return Verdict(["already memoized"])
        shape = memo.shape_reasons(index, fn)
        if fn.cls is not None or fn.nested:
            return Verdict(shape)
        args = fn.node.args
        reasons = shape + (["has *args or **kwargs"] if args.vararg or args.kwarg else [])
        reasons += memo.keys(index, all_params(args))[1] + default_reasons(index, fn)
        reasons += memo.return_reasons(index, fn) + memo.mutated_parameter_reasons(index, fn)
        reasons += purity_reasons(index, fn.qualname) + memo.attribute_reasons(index, fn)
        reasons += memo.recursion_reasons(index, fn)
        blocked = import_name_reason(index, None, "functools")
        if blocked:
            reasons.append(blocked)
        if index.global_bindings(GENERATED + fn.name):
            reasons.append(f"the name {GENERATED + fn.name} is taken")
        recursive = _recursive(index, fn)
        notes = ["calls whose arguments are not exactly the annotated builtins run uncached"]
        if recursive:
            notes.append("recursive: each level also passes through the guard and the cache wrapper, so an "
                         "uncached recursion hits RecursionError at about a third of the original depth")
        features = {"pure": int(not purity_reasons(index, fn.qualname)), "recursive_cycle": int(recursive)}
        return Verdict(reasons, notes, ["recursion-headroom"] if recursive else [], features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, _ = self.find(index, site, ctx)
        view = CstView.of(index)
        original = view.node(fn.node, cst.FunctionDef)
        cached_name = GENERATED + fn.name
        body = original.body
        docstring = []
        if fn.node.body and isinstance(fn.node.body[0], ast.Expr) and isinstance(fn.node.body[0].value, ast.Constant) \
                and isinstance(fn.node.body[0].value.value, str):
            assert isinstance(body, cst.IndentedBlock)
            docstring = [body.body[0]]
            rest = list(body.body[1:])
            rest[0] = rest[0].with_changes(leading_lines=[])
            body = body.with_changes(body=rest)
        decorator = cst.Decorator(decorator=view.parse_expression(DECORATOR))
        cached = original.with_changes(name=cst.Name(cached_name), decorators=[decorator], body=body)
        dispatch = view.parse_statement(self._dispatch(index, fn, cached_name, view.module.default_indent))
        assert isinstance(dispatch, cst.If) and isinstance(dispatch.body, cst.IndentedBlock)
        wrapper = original.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
                                        body=cst.IndentedBlock([*docstring, *dispatch.body.body]))
        tree = view.replace({id(original): cst.FlattenSentinel([cached, wrapper])})
        return add_import(tree, "functools").code

    @staticmethod
    def _dispatch(index: ModuleIndex, fn: FunctionInfo, cached: str, indent: str) -> str:
        """``if True:`` around the wrapper's statements (parsed, then unwrapped), in the module's indent."""
        args = fn.node.args
        keys = memo.keys(index, all_params(args))[0]
        guard = " and ".join(f"({key.guard})" if " or " in key.guard or " and " in key.guard else key.guard
                             for key in keys)
        passed = ", ".join([p.arg for p in [*args.posonlyargs, *args.args]] + [f"{p.arg}={p.arg}" for p in args.kwonlyargs])
        if len(keys) == 1:
            guard = keys[0].guard
        if not guard:
            return f"if True:\n{indent}return {cached}({passed})\n"
        return (f"if True:\n{indent}if {guard}:\n{indent * 2}return {cached}({passed})\n"
                f"{indent}return {cached}.__wrapped__({passed})\n")


def _wrapper(fn: FunctionInfo) -> bool:
    """The guard evolver wrote in place of a memoized function: it ends ``return
    _evolver_<name>(...)`` or ``return _evolver_<name>.__wrapped__(...)``."""
    last = fn.node.body[-1]
    call = last.value if isinstance(last, ast.Return) else None
    func = call.func if isinstance(call, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "__wrapped__":
        func = func.value
    return isinstance(func, ast.Name) and func.id == GENERATED + fn.name


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
