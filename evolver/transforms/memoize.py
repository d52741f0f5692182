"""memoize: cache a pure module function's results with ``functools.lru_cache``."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from evolver.analysis import purity
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms.base import (
    Context,
    Transform,
    add_import,
    function_features,
    import_name_reason,
    replace_nodes,
)

DECORATOR = "functools.lru_cache(maxsize=None, typed=True)"


class Memoize(Transform):
    """Add ``@functools.lru_cache(maxsize=None, typed=True)`` to a pure module-level function.

    What it rewrites: the ``def`` of a module-level function whose result depends only on its
    arguments; ``import functools`` is added when the module lacks it.

    Why it is faster: a call with arguments seen before returns the stored result instead of
    recomputing it; an exponential recursion becomes linear.

    Example::

        def fib(n: int) -> int:                    @functools.lru_cache(maxsize=None, typed=True)
            return n if n < 2 else fib(n - 1) + fib(n - 2)   ->   def fib(n: int) -> int: ...

    Safety preconditions: a module-level, synchronous, non-generator ``def`` with no decorators,
    bound once; every parameter annotated with an immutable hashable type (int, float, complex,
    bool, str, bytes, None, tuple/frozenset/Optional/Union/Literal of those) and every default a
    constant; an immutable return value; a pure body (``purity.purity_reasons``). ``typed=True``
    keeps ``f(1)``, ``f(1.0)`` and ``f(True)`` apart. The cache trusts the annotations: a caller
    that passes an unhashable value despite them gets ``TypeError``.
    """

    name: ClassVar[str] = "memoize"
    description: ClassVar[str] = "cache the results of a pure module function (functools.lru_cache)"
    preconditions: ClassVar[tuple[str, ...]] = (
        "module-level def, not async, not a generator, no decorators, bound once, no global/nonlocal",
        "every parameter annotated with an immutable hashable type; constant defaults",
        "return value immutable (annotation or every returned expression)",
        "body pure: reads only arguments, locals and immutable module constants; calls only pure "
        "builtins, pure standard-library functions and pure module functions",
        "parameters never mutated",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        "import random\n\ndef roll(n: int) -> int:\n    return random.randint(1, n)\n",
        "def shout(s: str) -> str:\n    print(s)\n    return s.upper()\n",
        "import time\n\ndef stamp(s: str) -> str:\n    return f'{s}@{time.time()}'\n",
        "import os\n\ndef home(s: str) -> str:\n    return os.environ['HOME'] + s\n",
        "def size(path: str) -> int:\n    return len(open(path).read())\n",
        "import helper\n\ndef h(x: int) -> int:\n    return helper.foo(x)\n",
        "WEIGHTS = {'a': 1}\n\ndef weight(k: str) -> int:\n    return WEIGHTS.get(k, 0)\n",
        "class C:\n    def m(self, x: int) -> int:\n        return x + 1\n",
        "def outer(x):\n    def inner(y: int) -> int:\n        return y * 2\n    return inner(x)\n",
        "def gen(n: int):\n    yield n\n",
        "async def double(n: int) -> int:\n    return n * 2\n",
        "def f(n: int) -> int:\n    return n + 1\n\nf = None\n",
        "def total(xs: list) -> int:\n    return sum(xs)\n",
        "def pairs(n: int) -> list[int]:\n    return [n, n]\n",
        "def pairs(n: int):\n    return [n, n]\n",
        "import functools\n\n@functools.wraps(len)\ndef f(n: int) -> int:\n    return n\n",
        "COUNT = 0\n\ndef bump(n: int) -> int:\n    global COUNT\n    COUNT += n\n    return COUNT\n",
        "def f(n: int, acc: tuple[int, ...] = ()) -> int:\n    acc.append(n)\n    return n\n",
        "def f(n: int, seen: frozenset[int] = frozenset(), extra=[]) -> int:\n    return n\n",
        "def f(n: int) -> int:\n    return n\n\n\nf.calls = 0\n",
        # 0.0 and -0.0 are one key: f(-0.0) would return "0.0"
        "def show(x: float) -> str:\n    return str(x)\n",
        # (1,) and (True,) are one key: typed=True does not look inside tuples
        "def show(xs: tuple[int, ...]) -> str:\n    return repr(xs)\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
            "import functools\n\n@functools.lru_cache(maxsize=None, typed=True)\n"
            "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
        ),
        (
            '"""Scores."""\nimport functools\nimport math\n\nBASE = 3\nSTOP = frozenset({"a", "an"})\n\n\n'
            "# the score of a word\ndef score(word: str, scale: int = 1):\n"
            "    if word in STOP:\n        return 0.0\n    return math.log(len(word) + BASE) * scale\n",
            '"""Scores."""\nimport functools\nimport math\n\nBASE = 3\nSTOP = frozenset({"a", "an"})\n\n\n'
            "# the score of a word\n@functools.lru_cache(maxsize=None, typed=True)\n"
            "def score(word: str, scale: int = 1):\n"
            "    if word in STOP:\n        return 0.0\n    return math.log(len(word) + BASE) * scale\n",
        ),
        (
            "import re\n\ndef is_even(n: int) -> bool:\n    return n == 0 or is_odd(n - 1)\n\n\n"
            "def is_odd(n: int) -> bool:\n    return n != 0 and is_even(n - 1)\n\n\n"
            "def words(text: str) -> tuple[str, ...]:\n    return tuple(w.lower() for w in re.findall(r'\\w+', text))\n",
            "import re\nimport functools\n\n@functools.lru_cache(maxsize=None, typed=True)\n"
            "def is_even(n: int) -> bool:\n    return n == 0 or is_odd(n - 1)\n\n\n"
            "@functools.lru_cache(maxsize=None, typed=True)\n"
            "def is_odd(n: int) -> bool:\n    return n != 0 and is_even(n - 1)\n\n\n"
            "@functools.lru_cache(maxsize=None, typed=True)\n"
            "def words(text: str) -> tuple[str, ...]:\n    return tuple(w.lower() for w in re.findall(r'\\w+', text))\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            reasons = self.reasons(index, fn)
            features = function_features(index, fn) | {
                "pure": int(fn.cls is None and not purity.purity_reasons(index, fn.qualname)),
                "recursive_cycle": int(fn.cls is None and _recursive(index, fn)),
            }
            found.append(self.site(f"{ctx.module}:{fn.qualname}", reasons, features, _notes(index, fn)))
        return found

    @staticmethod
    def reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
        shape = purity.shape_reasons(index, fn)
        if fn.cls is not None or fn.nested:
            return shape
        reasons = shape + purity.parameter_reasons(index, fn) + purity.return_reasons(index, fn)
        reasons += purity.mutated_parameter_reasons(index, fn) + purity.purity_reasons(index, fn.qualname)
        blocked = import_name_reason(index, None, "functools")
        return reasons + ([blocked] if blocked else []) + _attribute_reasons(index, fn) + _key_reasons(index, fn)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        fn = index.function(site.target.split(":", 1)[1])
        assert fn is not None
        decorator = cst.Decorator(decorator=cst.parse_expression(DECORATOR, config=index.tree.config_for_parsing))
        tree = replace_nodes(index.tree, {id(fn.node): fn.node.with_changes(decorators=[decorator])})
        return add_import(tree, "functools")


def _attribute_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """``f.__code__``, ``f.calls = 0``: the cache wrapper does not have the function's attributes."""
    reasons = []
    for assignment in index.global_assignments(fn.name):
        for access in assignment.references:
            parent = index.parent(access.node)
            if isinstance(parent, cst.Attribute) and parent.value is access.node:
                reasons.append(f"its attributes are used ({index.code(parent)})")
    return reasons


def _recursive(index: ModuleIndex, fn: FunctionInfo) -> bool:
    seen: set[str] = set()
    pending = list(purity.callees_of(index, fn))
    while pending:
        callee = pending.pop()
        if callee is fn:
            return True
        if callee.qualname not in seen:
            seen.add(callee.qualname)
            pending.extend(purity.callees_of(index, callee))
    return False


def _key_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    return key_reasons(index, purity.all_params(fn))


def key_reasons(index: ModuleIndex, params: list[cst.Param]) -> list[str]:
    """Arguments the cache would confuse: keys compare by ``==``, so 0.0 and -0.0 share an entry,
    and ``typed=True`` checks only top-level types, so (1,), (1.0,) and (True,) share one too. A
    function whose result tells them apart (``str(x)``, ``copysign``) would return a wrong value."""
    reasons = []
    for param in params:
        if param.annotation is None:
            continue
        names = purity.annotation_names(index, param.annotation.annotation)
        if names & {"builtins.float", "builtins.complex"}:
            reasons.append(f"parameter `{param.name.value}` is a float: 0.0 and -0.0 would share a cache entry")
        elif names & CONTAINERS and names & NUMBERS:
            reasons.append(f"parameter `{param.name.value}` holds numbers in a container: 1, 1.0 and True "
                           "would share a cache entry")
    return reasons


CONTAINERS = frozenset({"builtins.tuple", "typing.Tuple", "builtins.frozenset", "typing.FrozenSet"})
NUMBERS = frozenset({"builtins.int", "builtins.float", "builtins.complex", "builtins.bool"})


def _notes(index: ModuleIndex, fn: FunctionInfo) -> tuple[str, ...]:
    """Where the cache is sound but may surprise: recursion gets deeper."""
    if _recursive(index, fn):
        return ("recursive: each level also passes through the cache wrapper, so an uncached "
                "recursion hits RecursionError at about half the original depth",)
    return ()
