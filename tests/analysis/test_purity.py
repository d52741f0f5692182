"""Purity (for exact arguments), independence and evidence: what is proven, and each refusal's reason."""

from __future__ import annotations

import pytest

from evolver.analysis import memo
from evolver.analysis.evidence import io_evidence, transient_evidence
from evolver.analysis.independence import independence_reasons, thread_local_reasons
from evolver.analysis.index import ModuleIndex
from evolver.analysis.purity import default_reasons, purity_reasons
from evolver.analysis.tree import all_params


def index_of(source: str) -> ModuleIndex:
    return ModuleIndex(source, "m")


def memoize_reasons(source: str, name: str) -> list[str]:
    index = index_of(source)
    fn = index.function(name)
    assert fn is not None
    reasons = memo.shape_reasons(index, fn)
    if fn.cls is None and not fn.nested:
        reasons += memo.key_reasons(index, fn, all_params(fn.node.args)) + default_reasons(index, fn)
        reasons += memo.return_reasons(index, fn) + memo.mutated_parameter_reasons(index, fn)
        reasons += purity_reasons(index, name)
    return reasons


def test_self_recursive_function_is_pure() -> None:
    source = "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    assert memoize_reasons(source, "fib") == []


def test_mutual_recursion_through_helpers_is_pure() -> None:
    source = (
        "import math\nimport re\n\nWORD = r'[a-z]+'\nSTOP = frozenset(['a', 'the'])\n\n"
        "def even(n: int) -> bool:\n    return n == 0 or odd(n - 1)\n\n"
        "def odd(n: int) -> bool:\n    return n != 0 and even(n - 1)\n\n"
        "def words(text: str) -> tuple[str, ...]:\n"
        "    found = [w for w in text.lower().split() if w not in STOP]\n"
        "    found.sort()\n    return tuple(found)\n\n"
        "def score(text: str, scale: int = 1):\n"
        "    total = 0.0\n    for w in words(text):\n        total += math.log(len(w) + 1)\n"
        "    return round(total * scale, 3) if even(len(text)) else -total\n"
    )
    for name in ("even", "odd", "words", "score"):
        assert memoize_reasons(source, name) == [], name


def test_impurity_spreads_to_callers_with_the_callee_reason() -> None:
    source = "import random\n\ndef noise(n: int) -> int:\n    return random.randint(0, n)\n\n" \
             "def twice(n: int) -> int:\n    return noise(n) * 2\n"
    reasons = purity_reasons(index_of(source), "twice")
    assert reasons == ["calls noise, which is not proven pure (reads random numbers (random.randint))"]


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("CACHE = []\n\ndef f(n: int) -> int:\n    return len(CACHE) + n\n",
                 "reads module global CACHE (bound to a mutable list)", id="mutable-global"),
    pytest.param("import random\n\ndef f(n: int) -> float:\n    return random.random() * n\n",
                 "reads random numbers (random.random)", id="random"),
    pytest.param("from random import choice\n\ndef f(s: str) -> str:\n    return choice(s)\n",
                 "reads random numbers (random.choice)", id="random-alias"),
    pytest.param("def f(n: int) -> int:\n    print(n)\n    return n\n", "prints (builtins.print)", id="print"),
    pytest.param("import time as t\n\ndef f(n: int) -> float:\n    return t.time() + n\n",
                 "reads the clock (time.time)", id="time"),
    pytest.param("import os\n\ndef f(k: str) -> str:\n    return os.environ[k]\n",
                 "uses os.environ as a value", id="os.environ"),
    pytest.param("def f(p: str) -> str:\n    with open(p) as fh:\n        return fh.read()\n",
                 "reads files (fh.read)", id="open"),
    pytest.param("import helper\n\ndef f(n: int) -> int:\n    return helper.foo(n)\n",
                 "calls unknown function helper.foo", id="unknown-call"),
    pytest.param("def f(n: int) -> int:\n    return undefined(n)\n",
                 "reads undefined name undefined", id="undefined"),
    pytest.param("LIMIT = 3\nLIMIT = 4\n\ndef f(n: int) -> int:\n    return n + LIMIT\n",
                 "reads module global LIMIT (rebound in the module)", id="rebound-global"),
    pytest.param("class Box:\n    pass\n\ndef f(n: int) -> int:\n    return Box(n)\n",
                 "constructs Box (a class of the module, not analyzed)", id="module-class"),
    pytest.param("N = 0\n\ndef f(n: int) -> int:\n    global N\n    N = n\n    return n\n",
                 "declares global N", id="global"),
    pytest.param("def f(n: int) -> int:\n    return eval(str(n))\n", "reads the frame's variables (builtins.eval)",
                 id="eval"),
    pytest.param("def f(n: int, acc=[]) -> int:\n    acc.append(n)\n    return len(acc)\n",
                 "default value of `acc` is not an immutable constant", id="mutable-default"),
    pytest.param("import heapq\n\ndef f(h: tuple[int, ...], x: int) -> int:\n    heapq.heappush(h, x)\n    return x\n",
                 "heapq.heappush changes `h` (reachable from a parameter)", id="heappush"),
    pytest.param("import bisect\n\nROWS = (1, 2)\n\ndef f(x: int) -> int:\n    bisect.insort(ROWS, x)\n    return x\n",
                 "bisect.insort changes `ROWS` (a module global)", id="insort"),
    pytest.param("import operator\n\nBOX = [1]\n\ndef f(x: int) -> int:\n    operator.iadd(BOX, [x])\n    return x\n",
                 "operator.iadd changes `BOX`", id="iadd"),
    pytest.param("import re\n\ndef f(s: str, g: int) -> str:\n    return re.sub('a', g, s)\n",
                 "re.sub may call back `g`", id="regex-callback"),
])
def test_body_refusals(source: str, expected: str) -> None:
    reasons = purity_reasons(index_of(source), "f")
    assert any(expected in r for r in reasons), reasons


@pytest.mark.parametrize(("source", "name", "expected"), [
    pytest.param("class C:\n    def m(self, n: int) -> int:\n        return n\n", "C.m", "is a method", id="method"),
    pytest.param("class C:\n    def m(self, n: int) -> int:\n        return n * self.k\n", "C.m",
                 "reads instance state (self.k)", id="method-reading-its-instance"),
    pytest.param("def f(n: int) -> int:\n    yield n\n", "f", "is a generator", id="generator"),
    pytest.param("async def f(n: int) -> int:\n    return n\n", "f", "is async", id="async"),
    pytest.param("def f(n: int) -> int:\n    return n\n\nf = len\n", "f", "rebound elsewhere in the module",
                 id="rebound"),
    pytest.param("def f(n: int) -> int:\n    return n\n\ndel f\n", "f", "rebound elsewhere in the module",
                 id="deleted"),
    pytest.param("def f(n) -> int:\n    return n\n", "f", "parameter `n` has no immutable hashable annotation",
                 id="missing-annotation"),
    pytest.param("def f(n: list[int]) -> int:\n    return n[0]\n", "f",
                 "parameter `n` has no immutable hashable annotation", id="mutable-annotation"),
    pytest.param("def f(n: int) -> tuple[int, int]:\n    return [n, n]\n", "f",
                 "return value `[n, n]` is not provably immutable (list[int])", id="annotation-is-a-claim"),
    pytest.param("def f(n: int):\n    return {n: n}\n", "f", "return value `{n: n}` is not provably immutable",
                 id="mutable-return"),
    pytest.param("def outer(n: int) -> int:\n    def inner(k: int) -> int:\n        return k\n    return inner(n)\n",
                 "outer.inner", "is a nested function", id="nested"),
    pytest.param("import functools\n\n@functools.lru_cache\ndef f(n: int) -> int:\n    return n\n", "f",
                 "has decorators", id="decorated"),
    pytest.param("if True:\n    def f(n: int) -> int:\n        return n\n", "f",
                 "is defined conditionally (not a top-level statement)", id="conditional"),
    pytest.param("def f(w: dict[str, float] | None) -> float:\n    return 0.0\n", "f",
                 "parameter `w` has no immutable hashable annotation", id="optional-dict-is-not-a-float"),
    pytest.param("def f(x: float) -> str:\n    return str(x)\n", "f", "0.0 and -0.0", id="float"),
    pytest.param("def f(x: tuple[str, ...]) -> str:\n    return repr(x)\n", "f", "`repr(x)` can tell them apart",
                 id="strenum-in-tuple"),
    pytest.param("def f(x: tuple[int, int]) -> int:\n    return x[0]\n", "f", "`return x[0]` can tell them apart",
                 id="element-returned"),
    pytest.param("def f(x: bytes) -> int:\n    return len(x)\n", "f", "admits an unhashable bytearray", id="bytes"),
])
def test_shape_refusals(source: str, name: str, expected: str) -> None:
    reasons = memoize_reasons(source, name)
    assert any(expected in r for r in reasons), reasons


@pytest.mark.parametrize("annotation", [
    "int", "bool", "str", "None", "tuple[int, ...]", "tuple[str, int]", "frozenset[str]",
    "typing.Tuple[int, str]", "typing.Optional[str]", "int | None", "typing.Literal['a', 'b']",
    "tuple[tuple[int, ...], ...]", "'int'",
])
def test_hashable_annotations(annotation: str) -> None:
    source = f"import typing\n\ndef f(x: {annotation}) -> int:\n    return 1\n"
    assert memoize_reasons(source, "f") == []


@pytest.mark.parametrize("annotation", ["list[int]", "tuple", "dict", "set[int]", "object", "typing.Any",
                                        "tuple[list[int], ...]", "typing.Optional[list]", "Path", "'list'"])
def test_other_annotations_are_refused(annotation: str) -> None:
    source = f"import typing\nfrom pathlib import Path\n\ndef f(x: {annotation}) -> int:\n    return 1\n"
    assert "parameter `x` has no immutable hashable annotation" in memoize_reasons(source, "f")


def test_return_immutability_is_inferred_through_locals_and_pure_callees() -> None:
    source = (
        "def parts(s: str):\n    head, _, tail = s.partition(':')\n    n = 0\n"
        "    for ch in tail:\n        n += ord(ch)\n    return (head.strip(), n, helper(n))\n\n"
        "def helper(n: int):\n    return n * 2 if n else None\n\n"
        "def leak(s: str):\n    out = s.split()\n    return out\n"
    )
    assert memoize_reasons(source, "parts") == []
    assert memoize_reasons(source, "leak") == ["return value `out` is not provably immutable (list[str])"]


def test_parameter_mutation_is_refused() -> None:
    source = "def f(n: int, xs: list[int]) -> int:\n    xs.append(1)\n    return 0\n"
    assert "mutates parameter `xs`" in memoize_reasons(source, "f")


def test_locals_may_be_mutated() -> None:
    source = "def f(n: int) -> tuple[int, ...]:\n    acc = []\n    for i in range(n):\n" \
             "        acc.append(i * i)\n    acc[0] = -1\n    return tuple(acc)\n"
    assert memoize_reasons(source, "f") == []


# --- independence and evidence -----------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param("    SEEN.append(x)\n", "SEEN.append changes `SEEN` (a module global)", id="shared-list"),
    pytest.param("    global COUNT\n    COUNT += 1\n", "declares global COUNT", id="global-counter"),
    pytest.param("    TABLE[x] = 1\n", "stores into TABLE[x] (a module global)", id="global-store"),
    pytest.param("    x.done = True\n", "stores into x.done (reachable from a parameter)", id="param-store"),
    pytest.param("    open(x, 'a').write('1')\n", "opens a file for writing", id="append-file"),
    pytest.param("    print(x)\n", "prints (builtins.print)", id="print"),
    pytest.param("    requests.post(x)\n", "sends data over the network (requests.post)", id="post"),
    pytest.param("    subprocess.run(['rm', x])\n", "changes the process", id="subprocess"),
    pytest.param("    pathlib.Path(x).write_text('1')\n", "writes files", id="write-text"),
    pytest.param("    helper(x)\n", "calls helper, which is not proven independent", id="callee"),
    pytest.param("    sock.sendall(x)\n", "sends data over the network (sock.sendall)", id="sendall"),
    pytest.param("    next(ITEMS)\n", "builtins.next changes `ITEMS`", id="shared-iterator"),
    pytest.param("    urllib.request.urlopen(urllib.request.Request(x, data=b'1'))\n", "carries data", id="post-data"),
    pytest.param("    req = urllib.request.Request(x)\n    req.data = b'1'\n    urllib.request.urlopen(req)\n",
                 "carries data", id="data-set-later"),
    pytest.param("    urllib.request.urlopen(x)\n", "which may be a Request carrying data", id="unknown-url"),
])
def test_independence_refusals(body: str, expected: str) -> None:
    source = ("import pathlib\nimport requests\nimport socket\nimport subprocess\nimport urllib.request\n\n"
              "SEEN = []\nTABLE = {}\nCOUNT = 0\nITEMS = iter([1])\n\n"
              "def helper(y):\n    SEEN.append(y)\n\n"
              f"def f(x):\n    sock = socket.create_connection(('h', 1))\n{body}    return x\n")
    reasons = independence_reasons(index_of(source), "f")
    assert any(expected in r for r in reasons), reasons


def test_thread_local_state_is_reported() -> None:
    index = index_of("import threading\n\nLOCAL = threading.local()\n\ndef f(x):\n    return LOCAL.x\n")
    fn = index.function("f")
    assert fn is not None and thread_local_reasons(index, fn) == ["reads thread-local state LOCAL"]


def test_reading_functions_are_independent_and_io_bound() -> None:
    source = (
        "import json\nimport time\nimport urllib.request\nfrom pathlib import Path\n\nBASE = 'http://x/'\n\n"
        "def fetch(name: str):\n    with urllib.request.urlopen(BASE + name) as resp:\n        data = json.loads(resp.read())\n"
        "    cache = {}\n    cache[name] = data\n    return cache\n\n"
        "def read(p):\n    text = Path(p).read_text()\n    time.sleep(0.01)\n    return text.splitlines()\n\n"
        "def both(p):\n    return fetch(p), read(p)\n"
    )
    index = index_of(source)
    for name in ("fetch", "read", "both"):
        assert independence_reasons(index, name) == [], name
    assert set(io_evidence(index, "both")) == {"urllib.request.urlopen", "response.read", "path.read_text",
                                               "time.sleep"}
    assert transient_evidence(index, "both", ("ConnectionError",)) == ["calls urllib.request.urlopen",
                                                                    "calls response.read"]


def test_transient_evidence_follows_raises_and_subclasses() -> None:
    source = (
        "class Dropped(ConnectionError):\n    pass\n\n"
        "def a():\n    raise Dropped('x')\n\ndef b():\n    raise ConnectionResetError\n\n"
        "def c():\n    raise ValueError\n\ndef d():\n    return a()\n"
    )
    index = index_of(source)
    transient = ("ConnectionError", "TimeoutError")
    assert transient_evidence(index, "a", transient) == ["raises Dropped"]
    assert transient_evidence(index, "b", transient) == ["raises ConnectionResetError"]
    assert transient_evidence(index, "c", transient) == []
    assert transient_evidence(index, "d", transient) == ["raises Dropped"]


def test_methods_resolve_through_self_annotations_and_constructors() -> None:
    source = (
        "class Client:\n    def get(self, k):\n        return self.raw(k)\n\n    def raw(self, k):\n"
        "        raise TimeoutError(k)\n\n"
        "def use(c: Client, k):\n    return c.get(k)\n\n"
        "def make(k):\n    c = Client()\n    return c.get(k)\n"
    )
    index = index_of(source)
    for name in ("Client.get", "use", "make"):
        assert transient_evidence(index, name, ("TimeoutError",)) == ["raises TimeoutError"], name


def test_a_subclass_in_the_module_that_overrides_the_method_leaves_it_unresolved() -> None:
    source = (
        "class Client:\n    def get(self, k):\n        raise TimeoutError(k)\n\n"
        "class Other(Client):\n    def get(self, k):\n        return k\n\n"
        "def use(c: Client, k):\n    return c.get(k)\n"
    )
    assert transient_evidence(index_of(source), "use", ("TimeoutError",)) == []


def test_plain_module_exceptions_may_be_raised() -> None:
    source = (
        "class Error(Exception):\n    pass\n\nclass Bad(Error):\n    '''doc'''\n\n"
        "class Rich(ValueError):\n    def __init__(self, log):\n        log.append(self)\n\n"
        "def parse(s: str) -> int:\n    if not s:\n        raise Bad(s)\n    return int(s)\n\n"
        "def strict(s: str) -> int:\n    raise Rich([])\n"
    )
    index = index_of(source)
    assert purity_reasons(index, "parse") == []
    assert independence_reasons(index, "parse") == []
    assert purity_reasons(index, "strict") == ["constructs Rich (a class of the module, not analyzed)"]
    assert independence_reasons(index, "strict") == ["constructs Rich (a class of the module, not analyzed)"]


def test_bound_methods_passed_along_are_callees() -> None:
    source = (
        "class Store:\n    def __init__(self):\n        self.items = []\n\n"
        "    def save(self, x):\n        self.items.append(x)\n\n"
        "    def save_all(self, xs):\n        return list(map(self.save, xs))\n"
    )
    reasons = independence_reasons(index_of(source), "Store.save_all")
    assert any(r.startswith("calls Store.save, which is not proven independent") for r in reasons), reasons
