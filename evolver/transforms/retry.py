"""retry: call an idempotent callee again when it fails transiently."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.callgraph import RETRY_HELPER, is_retry_call, parameters_for, receiver_class, resolve_callee
from evolver.analysis.effects import EXCEPTIONS
from evolver.analysis.evidence import transient_evidence
from evolver.analysis.independence import independence_reasons
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.memo import generator
from evolver.analysis.uses import binding_refs
from evolver.model import Site
from evolver.transforms._cst import CstView, insert_after_imports
from evolver.transforms.base import Candidate, Context, Example, Transform, Verdict, leave, rewrite

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
class Call(Candidate):
    """A call of a callee that is declared idempotent or shows transient failures."""

    func: ast.AST  # what is called (the first argument of an existing retry/pool call)
    callee: FunctionInfo | None
    state: str  # "call", "retried", "pooled", "unresolved"


class Retry(Transform):
    """Retry transient failures of calls to idempotent callees.

    What it rewrites: ``f(a, b=1)`` becomes ``_evolver_retry(f, a, b=1)`` and ``obj.m(a)`` becomes
    ``_evolver_retry(obj.m, a)``, inside functions of the module; the helper is added once after the
    module's imports (its ``except`` names the configured transient exceptions).

    Why it is sturdier: a dropped connection or a timeout is retried (3 attempts, by default 10 ms
    then 20 ms apart: ``retry_backoff`` sets the first delay) instead of surfacing; a caller's own
    recovery path (re-queue, fallback) is rarely needed, which is also faster.

    Example: ``result = executor.submit(task)`` -> ``result = _evolver_retry(executor.submit, task)``.

    Rewrite safety: a failed attempt may have done part of its work before raising, so calling
    again must have the effect of one call: the callee is declared idempotent (``mod:func`` /
    ``mod:Class.method``; assumption declared-idempotent) or proven to write nothing anyone else can
    see (``evolver.analysis.independence``: no store into or mutating call on an object it did not
    create, no file or network write (``sendall``, a POST, ``urlopen`` of a request that may carry
    data), no print or log, no call of unseen code, no global). For ``obj.m(...)`` the class of
    ``obj`` is known: ``self`` (assumption methods-not-overridden) or a local bound only to
    ``Class(...)``; a parameter annotated with the class is refused (the caller may pass a subclass
    whose ``m`` is not the idempotent one) unless the class is ``@typing.final``. The callee raises a transient exception or
    talks to the network (directly or through module functions); it is not async or a generator;
    the call is not inside the callee itself. Arguments are evaluated once, before the first
    attempt, and passed again as the same objects: a generator expression argument is refused (a
    failed attempt would leave it partly consumed), and so is any argument the callee may iterate
    (or hand on) that is provably an iterator is refused, and one of unknown type is taken not to be
    one (assumption arguments-not-lazy, listed on the site when used). Relies on:
    timing-not-observed (a delay between attempts), quiet-special-methods.
    """

    name: ClassVar[str] = "retry"
    description: ClassVar[str] = "retry transient failures of idempotent calls with bounded backoff"
    goal: ClassVar[str] = "sturdiness"
    preconditions: ClassVar[tuple[str, ...]] = (
        "callee declared idempotent in settings, or proven idempotent (writes nothing shared)",
        "evidence of transient failures: raises a transient exception or makes network calls",
        "the receiver's class is known for method calls (self, or a local bound to Class(...); not a parameter "
        "annotated with the class, which may hold a subclass); arguments the callee may iterate are re-iterable",
        "callee not async and not a generator; the call is not inside the callee itself",
        "transient exception names resolve in the module; `_evolver_retry` free or the helper",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("timing-not-observed", "quiet-special-methods",
                                              "methods-not-overridden", "stdlib-as-documented")
    example_context: ClassVar[Context] = Context(module="example", idempotent=("example:Client.fetch",))
    examples: ClassVar[tuple[Example, ...]] = (
        leave("class Client:\n    def __init__(self):\n        self.sent = []\n\n    def send(self, m):\n"
              "        self.sent.append(m)\n        raise ConnectionError(m)\n\n\n"
              "def go(c: Client, m):\n    return c.send(m)\n", "not declared or proven idempotent"),
        leave("class Client:\n    def fetch(self, key):\n        return key * 2\n\n\n"
              "def go(c: Client, k):\n    return c.fetch(k)\n", "no evidence of transient failures"),
        leave("class Client:\n    def fetch(self, key):\n        raise TimeoutError(key)\n\n\n"
              "def go(c, k):\n    return c.fetch(k)\n", "cannot resolve the receiver"),
        leave("import urllib.request\n\n\ndef get(url, tries):\n    if tries:\n        return get(url, tries - 1)\n"
              "    return urllib.request.urlopen(url).read()\n", "inside the callee itself"),
        leave("import socket\n\n\nasync def ping(host):\n    return socket.gethostbyname(host)\n\n\n"
              "async def go(host):\n    return await ping(host)\n", "is async"),
        leave("import socket\n\n\ndef send(host, chunks):\n    with socket.create_connection((host, 80)) as s:\n"
              "        for c in chunks:\n            s.sendall(c)\n\n\n"
              "def go(host, data):\n    return send(host, (d.encode() for d in data))\n", "generator expression"),
        leave("import socket\n\n\ndef charge(host, amount):\n    with socket.create_connection((host, 80)) as s:\n"
              "        s.sendall(str(amount).encode())\n        return s.recv(10)\n\n\n"
              "def go(host):\n    return charge(host, 5)\n", "sends data over the network"),
        leave("import urllib.request\n\n\ndef pay(url, body):\n    req = urllib.request.Request(url)\n"
              "    req.data = body\n    return urllib.request.urlopen(req).read()\n\n\n"
              "def go(url):\n    return pay(url, b'x')\n", "carries data"),
        # the caller may pass a subclass whose fetch is not the declared idempotent one
        leave("class Client:\n    def fetch(self, key):\n        raise TimeoutError(key)\n\n\n"
              "def go(c: Client, k):\n    return c.fetch(k)\n", "a subclass overriding fetch"),
        # the failed attempt consumes the iterator; the retry would see it empty
        leave("def total(parts):\n    n = 0\n    for p in parts:\n        n += len(p)\n        if n > 5:\n"
              "            raise TimeoutError(n)\n    return n\n\n\ndef go(data):\n    return total(iter(data))\n",
              "an iterator"),
    )
    examples += (
        rewrite("class Client:\n    def fetch(self, key):\n        if not key:\n            raise ConnectionError('dropped')\n"
                "        return key\n\n\ndef go(k):\n    c = Client()\n    return c.fetch(k)  # remote\n",
                HELPER.format(name=RETRY_HELPER, attempts=3, last=2, transient="(ConnectionError, TimeoutError)",
                              backoff=0.01)
                + "\n\nclass Client:\n    def fetch(self, key):\n        if not key:\n            raise ConnectionError('dropped')\n"
                "        return key\n\n\ndef go(k):\n    c = Client()\n    return _evolver_retry(c.fetch, k)  # remote\n"),
        rewrite('"""Weather."""\nimport json\nimport urllib.request\n\nURL = "http://example.invalid/"\n\n\n'
                "def forecast(city: str):\n    with urllib.request.urlopen(URL + city, timeout=5) as resp:\n"
                "        return json.loads(resp.read())\n\n\ndef report(cities):\n"
                "    return {c: forecast(c) for c in cities}\n",
                '"""Weather."""\nimport json\nimport urllib.request\n\n\n'
                + HELPER.format(name=RETRY_HELPER, attempts=3, last=2, transient="(ConnectionError, TimeoutError)",
                                backoff=0.01)
                + '\n\nURL = "http://example.invalid/"\n\n\n'
                "def forecast(city: str):\n    with urllib.request.urlopen(URL + city, timeout=5) as resp:\n"
                "        return json.loads(resp.read())\n\n\ndef report(cities):\n"
                "    return {c: _evolver_retry(forecast, c) for c in cities}\n"),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        return [s for s in super().sites(index, ctx) if s.function != RETRY_HELPER]

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Call]:
        """Calls in the function's own body (lambdas included) whose callee is declared idempotent or
        shows transient failures, in source order; wrapped calls keep their place so ids stay stable."""
        found: list[Call] = []
        prefix = f"{ctx.module}:"
        declared_methods = {d.rsplit(".", 1)[1] for d in ctx.idempotent if d.startswith(prefix) and "." in d[len(prefix):]}
        for node in index.own(fn, ast.Call):
            func, state = node.func, "call"
            if is_retry_call(index, node) and node.args:
                func, state = node.args[0], "retried"
            elif _is_pool_map(node) and node.args:
                func, state = node.args[0], "pooled"
            callee = resolve_callee(index, fn, func)
            if callee is not None and _qualifies(index, callee, ctx):
                found.append(Call(node, len(found), func, callee, state))
            elif callee is None and isinstance(func, ast.Attribute) and func.attr in declared_methods:
                found.append(Call(node, len(found), func, None, "unresolved" if state == "call" else state))
        found.sort(key=lambda c: (c.node.lineno, c.node.col_offset))  # type: ignore[attr-defined]
        return [Call(c.node, k, c.func, c.callee, c.state) for k, c in enumerate(found)]

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Call, ctx: Context) -> Verdict:
        callee = candidate.callee
        features: dict[str, float] = {}
        if callee is not None:
            evidence = transient_evidence(index, callee.qualname, ctx.transient)
            features = {"declared": int(_declared(callee, ctx)),
                        "proven": int(not independence_reasons(index, callee.qualname)),
                        "evidence": len(evidence), "network": int(any(e.startswith("calls ") for e in evidence))}
        if candidate.state == "retried":
            return Verdict(["already retried"], features=features)
        if candidate.state == "pooled":
            return Verdict(["is called through a thread pool map"], features=features)
        if callee is None:
            return Verdict(["cannot resolve the receiver's class"], features=features)
        reasons, assumptions = [], []
        if callee is fn:
            reasons.append("is inside the callee itself")
        if fn.is_async:
            reasons.append(f"the caller {fn.qualname} is async (the helper's backoff would block the event loop)")
        call = candidate.node
        assert isinstance(call, ast.Call)
        if any(isinstance(a, ast.GeneratorExp) for a in [*call.args, *(w.value for w in call.keywords)]):
            reasons.append("passes a generator expression (a retry would see it partly consumed)")
        else:
            consumed, assumed = _consumed_reasons(index, fn, candidate.func, call, callee)
            reasons += consumed
            assumptions += assumed
        reasons += _receiver_reasons(index, candidate.func)
        if _declared(callee, ctx):
            assumptions.append("declared-idempotent")
        else:
            independence = independence_reasons(index, callee.qualname)
            if independence:
                reasons.append(f"not declared or proven idempotent ({callee.qualname} {independence[0]})")
        if not transient_evidence(index, callee.qualname, ctx.transient):
            reasons.append("no evidence of transient failures")
        if callee.is_async:
            reasons.append(f"{callee.qualname} is async (a retry would not cover the await)")
        if generator(index, callee):
            reasons.append(f"{callee.qualname} is a generator (failures happen while iterating)")
        return Verdict(reasons + helper_reasons(index, ctx), assumptions=assumptions, features=features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        _, candidate = self.find(index, site, ctx)
        view = CstView.of(index)
        call = view.node(candidate.node, cst.Call)
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if call.args else cst.MaybeSentinel.DEFAULT
        wrapped = call.with_changes(func=cst.Name(RETRY_HELPER), args=[cst.Arg(call.func, comma=comma), *call.args])
        tree = view.replace({id(call): wrapped})
        if index.module_function(RETRY_HELPER) is None:
            tree = insert_helper(tree, ctx)
        return tree.code


def _consumed_reasons(index: ModuleIndex, fn: FunctionInfo, func: ast.AST, call: ast.Call,
                      callee: FunctionInfo) -> tuple[list[str], list[str]]:
    """An argument the callee may iterate must be re-iterable: an iterator consumed by a failed
    attempt would be passed again, partly or wholly used up."""
    bound = isinstance(func, ast.Attribute)
    pairs = parameters_for(call, callee, bound)
    if pairs is None:
        return ["passes *args or **kwargs (an iterator among them would be consumed by a failed attempt)"], []
    facts = types.facts(index, fn)
    reasons, assumed = [], []
    for param, arg in pairs:
        kinds = facts.of(arg)
        if k.known(kinds) and all(kind.base in k.CONTAINERS | k.SCALARS for kind in kinds):
            continue  # walking it again gives the same elements
        if not _may_iterate(index, callee, param):
            continue
        if k.known(kinds):
            reasons.append(f"passes `{index.code(arg)}` (an iterator) as `{param.arg}`, which {callee.qualname} may "
                           "iterate: an iterator consumed by a failed attempt would be passed again")
        else:
            assumed.append("arguments-not-lazy")
    return reasons, assumed


def _may_iterate(index: ModuleIndex, callee: FunctionInfo, param: ast.arg) -> bool:
    """The callee uses the parameter in a way that could advance an iterator (iterates it, hands it
    to a call or a method, lets it escape)."""
    scope = index.function_scope(callee)
    bindings = scope.bindings.get(param.arg)
    if not bindings:
        return False
    refs = binding_refs(index, callee, tuple(bindings))
    return refs is None or any(r.use not in ("bind", "read", "operand", "return") or
                               (r.use == "read" and isinstance(r.at, ast.Call)) for r in refs)


def _receiver_reasons(index: ModuleIndex, func: ast.AST) -> list[str]:
    """A parameter annotated with a class may hold a subclass whose method (not the one declared or
    proven idempotent) would be retried; ``self`` and a local bound to ``Class(...)`` are the class
    itself (assumption methods-not-overridden for ``self``)."""
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return []
    receiver = func.value
    found = index.resolve(receiver)
    if found.kind != "param" or len(found.bindings) != 1:
        return []
    param = found.bindings[0].node
    if not isinstance(param, ast.arg) or param.annotation is None:
        return []
    cls = receiver_class(index, receiver)
    if cls is None or any(index.qualified_name(d) == "typing.final" for d in cls.decorator_list):
        return []
    return [f"the receiver `{receiver.id}` is a parameter annotated {cls.name}: a subclass overriding "
            f"{func.attr} would be retried too (the receiver's class is known only for self or Class(...))"]


def _is_pool_map(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "map" and isinstance(func.value, ast.Name)
            and func.value.id == "_evolver_pool")


def _qualifies(index: ModuleIndex, callee: FunctionInfo, ctx: Context) -> bool:
    return _declared(callee, ctx) or bool(transient_evidence(index, callee.qualname, ctx.transient))


def _declared(callee: FunctionInfo, ctx: Context) -> bool:
    return f"{ctx.module}:{callee.qualname}" in ctx.idempotent


def helper_reasons(index: ModuleIndex, ctx: Context) -> list[str]:
    """Why the helper cannot be added or reused as it is."""
    reasons = []
    if index.global_bindings(RETRY_HELPER) and index.module_function(RETRY_HELPER) is None:
        reasons.append(f"`{RETRY_HELPER}` is already bound to something else")
    if index.global_bindings("range"):
        reasons.append("the module rebinds `range`, which the helper uses")
    if not ctx.transient:
        reasons.append("no transient exception types are configured")
    for name in ctx.transient:
        if not name.isidentifier():
            reasons.append(f"transient exception {name} cannot be named in the module")
        elif not index.global_bindings(name) and name not in EXCEPTIONS:
            reasons.append(f"transient exception {name} is not defined in the module")
    return reasons


def insert_helper(tree: cst.Module, ctx: Context) -> cst.Module:
    """The helper goes after the docstring, ``__future__`` imports and leading import block."""
    transient = ctx.transient[0] if len(ctx.transient) == 1 else f"({', '.join(ctx.transient)})"
    code = HELPER.format(name=RETRY_HELPER, attempts=ATTEMPTS, last=ATTEMPTS - 1, transient=transient,
                         backoff=ctx.retry_backoff_s)
    return insert_after_imports(tree, code)

