"""retry: call an idempotent callee again when it fails transiently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import legacy_purity as purity
from evolver.analysis.legacy_purity import RETRY_HELPER, is_retry_call, resolve_callee
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features, replace_nodes

ATTEMPTS = 3
HELPER = '''def {name}(func, /, *args, **kwargs):
    """Call func, retrying transient failures with bounded exponential backoff (added by evolver)."""
    import time

    delay = {backoff!r}
    for attempt in range({attempts}):
        try:
            return func(*args, **kwargs)
        except {transient}:
            if attempt == {last}:
                raise
            time.sleep(delay)
            delay *= 2
'''


@dataclass(frozen=True)
class Candidate:
    """A call of a callee that is declared idempotent or shows transient failures."""

    call: cst.Call
    func: cst.BaseExpression  # what is called (the first argument of an existing retry/pool call)
    callee: FunctionInfo | None
    state: str  # "call", "retried", "pooled", "unresolved"


class Retry(LegacyTransform):
    """Retry transient failures of calls to idempotent callees.

    What it rewrites: ``f(a, b=1)`` becomes ``_evolver_retry(f, a, b=1)`` and ``obj.m(a)``
    becomes ``_evolver_retry(obj.m, a)``, inside functions of the module; the helper is added
    once after the module's imports (its ``except`` names the configured transient exceptions).

    Why it is sturdier: a dropped connection or a timeout is retried (3 attempts, by default 10 ms
    then 20 ms apart: ``retry_backoff`` sets the first delay) instead of surfacing; a caller's own recovery path (re-queue, fallback) is rarely
    needed, which is also faster.

    Example: ``result = executor.submit(task)`` -> ``result = _evolver_retry(executor.submit, task)``.

    Safety preconditions: the callee is declared idempotent (``mod:func`` / ``mod:Class.method``)
    or proven so (it writes nothing shared); for ``obj.m(...)`` the class of ``obj`` is known
    (``self``, a parameter annotated with the class, or a local bound only to ``Class(...)``);
    the callee raises one of the transient exceptions or makes network calls (directly or through
    module functions); it is not async or a generator; the call is not inside the callee itself.
    Arguments are evaluated once, before the first attempt, exactly as in the original call, and
    passed again as the same objects: an iterator argument consumed by a failed attempt is not
    restored (a generator expression argument is refused; other iterators cannot be seen).
    """

    name: ClassVar[str] = "retry"
    description: ClassVar[str] = "retry transient failures of idempotent calls with bounded backoff"
    goal: ClassVar[str] = "sturdiness"
    preconditions: ClassVar[tuple[str, ...]] = (
        "callee declared idempotent in settings, or proven idempotent (writes nothing shared)",
        "evidence of transient failures: raises a transient exception or makes network calls",
        "the receiver's class is known for method calls (self, annotation, or Class(...) local)",
        "callee not async and not a generator; the call is not inside the callee itself",
        "transient exception names resolve in the module; `_evolver_retry` free or the helper",
    )
    example_context: ClassVar[Context] = Context(module="example", idempotent=("example:Client.fetch",))
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # undeclared, and it writes shared state
        "class Client:\n    def __init__(self):\n        self.sent = []\n\n    def send(self, m):\n"
        "        self.sent.append(m)\n        raise ConnectionError(m)\n\n\n"
        "def go(c: Client, m):\n    return c.send(m)\n",
        # declared but no evidence of transient failures
        "class Client:\n    def fetch(self, key):\n        return key * 2\n\n\n"
        "def go(c: Client, k):\n    return c.fetch(k)\n",
        # receiver class unknown
        "class Client:\n    def fetch(self, key):\n        raise TimeoutError(key)\n\n\n"
        "def go(c, k):\n    return c.fetch(k)\n",
        # inside the callee itself
        "import urllib.request\n\n\ndef get(url, tries):\n    if tries:\n        return get(url, tries - 1)\n"
        "    return urllib.request.urlopen(url).read()\n",
        # async callee
        "import socket\n\n\nasync def ping(host):\n    return socket.gethostbyname(host)\n\n\n"
        "async def go(host):\n    return await ping(host)\n",
        # a generator argument would be consumed by the failed attempt
        "import socket\n\n\ndef send(host, chunks):\n    with socket.create_connection((host, 80)) as s:\n"
        "        for c in chunks:\n            s.sendall(c)\n\n\n"
        "def go(host, data):\n    return send(host, (d.encode() for d in data))\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "class Client:\n    def fetch(self, key):\n        if not key:\n            raise ConnectionError('dropped')\n"
            "        return key\n\n\ndef go(c: Client, k):\n    return c.fetch(k)  # remote\n",
            HELPER.format(name=RETRY_HELPER, attempts=3, last=2, transient="(ConnectionError, TimeoutError)", backoff=0.01)
            + "\n\nclass Client:\n    def fetch(self, key):\n        if not key:\n            raise ConnectionError('dropped')\n"
            "        return key\n\n\ndef go(c: Client, k):\n    return _evolver_retry(c.fetch, k)  # remote\n",
        ),
        (
            '"""Weather."""\nimport json\nimport urllib.request\n\nURL = "http://example.invalid/"\n\n\n'
            "def forecast(city):\n    with urllib.request.urlopen(URL + city, timeout=5) as resp:\n"
            "        return json.loads(resp.read())\n\n\ndef report(cities):\n"
            "    return {c: forecast(c) for c in cities}\n",
            '"""Weather."""\nimport json\nimport urllib.request\n\n\n'
            + HELPER.format(name=RETRY_HELPER, attempts=3, last=2, transient="(ConnectionError, TimeoutError)", backoff=0.01)
            + '\n\nURL = "http://example.invalid/"\n\n\n'
            "def forecast(city):\n    with urllib.request.urlopen(URL + city, timeout=5) as resp:\n"
            "        return json.loads(resp.read())\n\n\ndef report(cities):\n"
            "    return {c: _evolver_retry(forecast, c) for c in cities}\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            if fn.name == RETRY_HELPER:
                continue
            for k, candidate in enumerate(candidates(index, fn, ctx)):
                reasons = self.reasons(index, fn, candidate, ctx)
                found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons,
                                       self.features(index, fn, candidate, ctx)))
        return found

    @staticmethod
    def features(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate, ctx: Context) -> dict[str, float]:
        features = function_features(index, fn)
        callee = candidate.callee
        if callee is not None:
            evidence = purity.transient_evidence(index, callee.qualname, ctx.transient)
            features |= {
                "declared": int(_declared(index, callee, ctx)),
                "proven": int(not purity.independence_reasons(index, callee.qualname)),
                "evidence": len(evidence),
                "network": int(any(e.startswith("calls ") for e in evidence)),
            }
        return features

    def reasons(self, index: ModuleIndex, fn: FunctionInfo, candidate: Candidate, ctx: Context) -> list[str]:
        if candidate.state == "retried":
            return ["already retried"]
        if candidate.state == "pooled":
            return ["is called through a thread pool map"]
        callee = candidate.callee
        if callee is None:
            return ["cannot resolve the receiver's class"]
        reasons = []
        if callee is fn:
            reasons.append("is inside the callee itself")
        if fn.is_async:
            reasons.append(f"the caller {fn.qualname} is async (the helper's backoff would block the event loop)")
        if any(isinstance(a.value, cst.GeneratorExp) for a in candidate.call.args):
            reasons.append("passes a generator expression (a retry would see it partly consumed)")
        if not _declared(index, callee, ctx):
            independence = purity.independence_reasons(index, callee.qualname)
            if independence:
                reasons.append(f"not declared or proven idempotent ({callee.qualname} {independence[0]})")
        if not purity.transient_evidence(index, callee.qualname, ctx.transient):
            reasons.append("no evidence of transient failures")
        if callee.is_async:
            reasons.append(f"{callee.qualname} is async (a retry would not cover the await)")
        if index.scan(callee).yields:
            reasons.append(f"{callee.qualname} is a generator (failures happen while iterating)")
        return reasons + helper_reasons(index, ctx)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        call = candidates(index, fn, ctx)[int(k)].call
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if call.args else cst.MaybeSentinel.DEFAULT
        wrapped = call.with_changes(func=cst.Name(RETRY_HELPER), args=[cst.Arg(call.func, comma=comma), *call.args])
        tree = replace_nodes(index.tree, {id(call): wrapped})
        if index.module_function(RETRY_HELPER) is None:
            tree = insert_helper(tree, ctx)
        return tree


def candidates(index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Candidate]:
    """Calls in the function's own body (lambdas included) whose callee is declared idempotent or
    shows transient failures, in source order; wrapped calls keep their place so ids stay stable."""
    found = []
    prefix = f"{ctx.module}:"
    declared_methods = {d.rsplit(".", 1)[1] for d in ctx.idempotent if d.startswith(prefix) and "." in d[len(prefix):]}
    for node in index.own_nodes(fn.node):
        if not isinstance(node, cst.Call):
            continue
        func, state = node.func, "call"
        if is_retry_call(index, node) and node.args:
            func, state = node.args[0].value, "retried"
        elif _is_pool_map(node) and node.args:
            func, state = node.args[0].value, "pooled"
        callee = resolve_callee(index, fn, func)
        if callee is not None and _qualifies(index, callee, ctx):
            found.append(Candidate(node, func, callee, state))
        elif callee is None and isinstance(func, cst.Attribute) and func.attr.value in declared_methods:
            found.append(Candidate(node, func, None, "unresolved" if state == "call" else state))
    return found


def _is_pool_map(call: cst.Call) -> bool:
    func = call.func
    return (isinstance(func, cst.Attribute) and func.attr.value == "map"
            and isinstance(func.value, cst.Name) and func.value.value == "_evolver_pool")


def _qualifies(index: ModuleIndex, callee: FunctionInfo, ctx: Context) -> bool:
    return _declared(index, callee, ctx) or bool(purity.transient_evidence(index, callee.qualname, ctx.transient))


def _declared(index: ModuleIndex, callee: FunctionInfo, ctx: Context) -> bool:
    return f"{ctx.module}:{callee.qualname}" in ctx.idempotent


def helper_reasons(index: ModuleIndex, ctx: Context) -> list[str]:
    """Why the helper cannot be added or reused as it is."""
    reasons = []
    if index.global_assignments(RETRY_HELPER) and index.module_function(RETRY_HELPER) is None:
        reasons.append(f"`{RETRY_HELPER}` is already bound to something else")
    if index.global_assignments("range"):
        reasons.append("the module rebinds `range`, which the helper uses")
    if not ctx.transient:
        reasons.append("no transient exception types are configured")
    for name in ctx.transient:
        if not name.isidentifier():
            reasons.append(f"transient exception {name} cannot be named in the module")
        elif not index.global_assignments(name) and name not in purity.EXCEPTIONS:
            reasons.append(f"transient exception {name} is not defined in the module")
    return reasons


def insert_helper(tree: cst.Module, ctx: Context) -> cst.Module:
    """The helper goes after the docstring, ``__future__`` imports and leading import block."""
    transient = ctx.transient[0] if len(ctx.transient) == 1 else f"({', '.join(ctx.transient)})"
    code = HELPER.format(name=RETRY_HELPER, attempts=ATTEMPTS, last=ATTEMPTS - 1, transient=transient,
                         backoff=ctx.retry_backoff_s)
    helper = cst.parse_statement(code.replace("\n", tree.default_newline), config=tree.config_for_parsing)
    body = list(tree.body)
    at = _after_imports(body)
    blank = [cst.EmptyLine(), cst.EmptyLine()]
    helper = helper.with_changes(leading_lines=blank if at else [])
    if at < len(body):
        body[at] = body[at].with_changes(leading_lines=_at_least_two_blank(body[at].leading_lines))
    return tree.with_changes(body=[*body[:at], helper, *body[at:]])


def _after_imports(body: list[cst.BaseStatement]) -> int:
    at = 0
    if body and _is_docstring(body[0]):
        at = 1
    while at < len(body) and isinstance(body[at], cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in body[at].body  # type: ignore[attr-defined]
    ):
        at += 1
    return at


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _at_least_two_blank(lines: tuple[cst.EmptyLine, ...] | list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    leading = 0
    for line in lines:
        if line.comment is not None:
            break
        leading += 1
    return [cst.EmptyLine()] * max(0, 2 - leading) + list(lines)
