"""What one function's own code does (nested functions and lambdas included, callees not): the
hidden state it reads, the state outside its arguments it changes, the objects it mutates, the code
it calls that cannot be seen. ``evolver.analysis.purity`` and ``.independence`` carry these facts
through the call graph.

Two modes. ``exact``: the function is called with exact builtin arguments (a rewrite checks
``type(x) is int`` first), so by induction every value it handles is a builtin or a fresh object
and every operator or special method it runs is the builtin's. ``declared``: arguments are what
their annotations declare, or anything; a method called on a value that is not an exact builtin is
unknown code (implicit special methods of operators, hashing and formatting are taken to have no
outside effect: assumption ``quiet-special-methods``).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from evolver.analysis import annotations as annotated
from evolver.analysis import catalogue, constants, types
from evolver.analysis import kinds as k
from evolver.analysis.callgraph import RETRY_HELPER, is_retry_call, resolve_callee
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.rebinding import rebinders
from evolver.analysis.tree import chain_root, chain_top, is_called, store_targets, walk

EXCEPTIONS = frozenset(n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException))
HARMLESS_DECORATORS = frozenset({"functools.lru_cache", "functools.cache", "builtins.staticmethod",
                                 "builtins.classmethod", "builtins.property", "abc.abstractmethod",
                                 "typing.overload", "typing.final", "functools.wraps"})
THREAD_LOCAL = frozenset({"threading.local", "contextvars.ContextVar", "decimal.getcontext", "decimal.localcontext"})
OUTPUTS = {"stdout": "prints", "files": "writes files", "network": "sends data over the network",
           "logging": "logs", "process": "changes the process (subprocess, exit, environment)",
           "random": "advances the shared random state", "module-state": "changes library state",
           "frame": "runs code from strings", "warnings": "may show a warning",
           "import": "imports a module (its code runs on the first import)",
           "debugger": "runs the debugger hook (sys.breakpointhook)"}
INPUTS = {"clock": "reads the clock", "random": "reads random numbers", "environment": "reads the environment",
          "files": "reads files", "network": "reads the network", "stdin": "reads standard input",
          "frame": "reads the frame's variables", "process": "reads process state",
          "modules": "reads the loaded modules (sys.modules)"}


@dataclass(frozen=True)
class Effect:
    kind: str  # "input", "output", "mutation", "unknown", "declaration", "thread-local"
    reason: str
    state: str = ""  # input/output: the hidden state read or written ("files", "network", "clock"...)


def scan(index: ModuleIndex, fn: FunctionInfo, exact: bool, exact_params: bool = False) -> list[Effect]:
    """The effects of ``fn``'s own code (cached per mode), in source order, without repeats.
    ``exact_params`` (declared mode only): the annotated parameters are exactly their builtins (a
    run-time guard tested the arguments); every other value is still what it is declared."""
    key = ("effects", fn.node, exact, exact_params or exact)
    if key not in index.cache:
        index.cache[key] = list(dict.fromkeys(_Scanner(index, fn, exact, exact_params).run()))
    return index.cache[key]


def scan_nodes(index: ModuleIndex, fn: FunctionInfo, roots: list[ast.AST], skip: ast.AST | None = None,
               exact: bool = False) -> list[Effect]:
    """The effects of some of ``fn``'s code: ``roots`` and what is inside them, ``skip`` left out."""
    scanner = _Scanner(index, fn, exact)
    for root in roots:
        stack = [root]
        while stack:
            node = stack.pop()
            if node is skip:
                continue
            scanner._node(node)
            stack.extend(reversed(index.children(node)))
    return list(dict.fromkeys(scanner.found))


class _Scanner:
    def __init__(self, index: ModuleIndex, fn: FunctionInfo, exact: bool, exact_params: bool = False) -> None:
        self.index, self.fn, self.exact = index, fn, exact
        self.facts = types.facts(index, fn, exact_params=exact or exact_params)
        self.own = index.function_scope(fn)
        self.found: list[Effect] = []

    def run(self) -> list[Effect]:
        for statement in self.fn.node.body:
            for node in self.index.walk(statement):
                self._node(node)
        return self.found

    def add(self, kind: str, reason: str, state: str = "") -> None:
        self.found.append(Effect(kind, reason, state))

    def _node(self, node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            self._read(node)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            word = "global" if isinstance(node, ast.Global) else "nonlocal"
            self.add("declaration", f"declares {word} {', '.join(node.names)}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.For, ast.AsyncFor,
                               ast.withitem, ast.comprehension)):
            for target in store_targets(node):
                if isinstance(target, (ast.Attribute, ast.Subscript)) and not self.owned(target.value):
                    self.add("mutation", f"stores into {self.index.code(target)}{self._where(target.value)}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._definition(node)

    # --- reads ----------------------------------------------------------------------------------

    def _read(self, name: ast.Name) -> None:
        found = self.index.resolve(name)
        if found.kind in ("local", "param", "class"):
            return
        if found.kind == "enclosing":
            if found.scope is not None and not found.scope.within(self.own):
                self.add("input", f"reads {name.id}, a variable of an enclosing function")
            return
        if found.kind == "global":
            self._global(name)
        elif found.kind in ("builtin", "import"):
            self._library_value(name)
        else:
            self.add("unknown", "uses names from `from ... import *`" if self.index.star_import
                     else f"reads undefined name {name.id}")

    def _global(self, name: ast.Name) -> None:
        if self.index.module_function(name.id) is not None or name.id == RETRY_HELPER:
            return
        if _identity_function(self.index, name) or _cast_type(self.index, name):
            return
        if self.index.module_class(name.id) is not None:
            if not (is_called(self.index, name) or _isinstance_argument(self.index, name)
                    or plain_exception(self.index, name.id)):
                self.add("unknown", f"uses class {name.id} of the module (not analyzed)")
            return
        if _thread_local(self.index, name.id):
            self.add("thread-local", f"reads thread-local state {name.id}")
        reason = constants.constant_reason(self.index, name.id)
        if reason is not None:
            self.add("input", reason)

    def _library_value(self, name: ast.Name) -> None:
        top = chain_top(self.index, name)
        if is_called(self.index, top):
            return  # the call is checked
        qualified = self.index.qualified_name(top)
        if qualified is None:
            self.add("unknown", f"uses {self.index.code(top)} (an ambiguous import)")
            return
        entry = catalogue.lookup(qualified)
        harmless = qualified.removeprefix("builtins.") in EXCEPTIONS or name.id in ("__name__", "__doc__") or (
            entry is not None and entry.pure)
        if not harmless:
            self.add("unknown", f"uses {qualified} as a value")

    # --- calls ----------------------------------------------------------------------------------

    def _call(self, call: ast.Call) -> None:
        func: ast.AST
        args: list[ast.AST]
        func, args = (call.args[0], list(call.args[1:])) if is_retry_call(self.index, call) and call.args \
            else (call.func, list(call.args))
        qualified = self.index.qualified_name(func)
        if qualified is not None:
            self._library_call(call, qualified, args)
        elif resolve_callee(self.index, self.fn, func) is not None:
            self._callee_arguments(func, args + [w.value for w in call.keywords])
        elif isinstance(func, ast.Name):
            self._named_call(func)
        elif isinstance(func, ast.Attribute):
            self._method_call(call, func)
        else:
            self.add("unknown", f"calls {self.index.code(func)} (unknown function)")

    def _library_call(self, call: ast.Call, qualified: str, args: list[ast.AST]) -> None:
        short = qualified.removeprefix("builtins.")
        if qualified.startswith("builtins.") and short in EXCEPTIONS:
            return
        entry = catalogue.lookup(qualified)
        if entry is None:
            self.add("unknown", f"calls unknown function {qualified}")
            return
        self._entry(call, qualified, entry, args, receiver=None)

    def _entry(self, call: ast.Call, shown: str, entry: catalogue.Call, args: list[ast.AST],
               receiver: ast.AST | None) -> None:
        for state in sorted(entry.reads):
            self.add("input", f"{INPUTS.get(state, 'reads ' + state)} ({shown})", state)
        for state in sorted(entry.writes):
            self.add("output", f"{OUTPUTS.get(state, 'changes ' + state)} ({shown})", state)
        for position in entry.mutates:
            target = receiver if position == "self" else _argument(call, args, position)
            if target is not None and not self.owned(target):
                self.add("mutation", f"{shown} changes `{self.index.code(target)}`{self._where(target)}")
        for position in entry.calls:
            callback = _argument(call, args, position)
            if callback is not None and not self._known_callable(callback):
                self.add("unknown", f"{shown} calls back `{self.index.code(callback)}`")
        if entry.special == "regex-sub":
            replacement = _argument(call, args, 0 if receiver is not None else 1) or _argument(call, args, "repl")
            if replacement is not None and not self._known_callable(replacement) and not (
                    isinstance(replacement, ast.Constant) or k.exactly(self.facts.of(replacement), k.TEXT)):
                self.add("unknown", f"{shown} may call back `{self.index.code(replacement)}`")
        elif entry.special == "urlopen" and shown == "urllib.request.urlopen":
            reason = self._urlopen(call, args, shown)
            if reason is not None:
                self.add("output", reason, "network")
        elif entry.special and shown != "urllib.request.Request":
            found = special_reason(self.index, entry.special, call, args, shown)
            if found is not None:
                self.add(*found, {"open": "files", "urlopen": "network", "http-verb": "network"}.get(entry.special, ""))

    def _urlopen(self, call: ast.Call, args: list[ast.AST], shown: str) -> str | None:
        """``urlopen`` sends data when given some, or a ``Request`` that carries data or a method:
        a str URL never does; a request made here is followed to see what is set on it."""
        keywords = {w.arg for w in call.keywords}
        if len(args) > 1 or "data" in keywords:
            return f"sends data ({shown})"
        target = args[0] if args else next((w.value for w in call.keywords if w.arg == "url"), None)
        if target is None or _textual(self.facts, target):
            return None
        requests = self._requests(target)
        if requests is None:
            return f"sends `{self.index.code(target)}`, which may be a Request carrying data ({shown})"
        return f"sends a Request that carries data or a method ({shown})" if requests else None

    def _requests(self, expr: ast.AST) -> bool | None:
        """Whether the ``Request`` objects ``expr`` can be carry data or a method (None: it is not
        provably a Request made in this function)."""
        if isinstance(expr, ast.Call) and self.index.qualified_name(expr.func) == "urllib.request.Request":
            return len(expr.args) > 1 or any(w.arg in ("data", "method") or w.arg is None for w in expr.keywords)
        if not isinstance(expr, ast.Name):
            return None
        found = self.index.resolve(expr)
        if found.kind != "local" or not found.bindings:
            return None
        carried = False
        for binding in found.bindings:
            value = getattr(binding.statement, "value", None)
            made = self._requests(value) if binding.kind == "assign" and value is not None else None
            if made is None:
                return None
            carried = carried or made
        for read in found.bindings[0].references:  # ``req.data = ...`` after construction
            parent = self.index.parent(read)
            if isinstance(parent, ast.Attribute) and parent.value is read and (
                    isinstance(parent.ctx, ast.Store) or parent.attr in ("add_data", "add_header")):
                carried = carried or parent.attr in ("data", "method", "add_data")
            elif not (isinstance(parent, ast.Call) and read in parent.args):
                return None  # handed somewhere that could set its data
        return carried

    def _callee_arguments(self, func: ast.AST, args: list[ast.AST]) -> None:
        if not self.exact:
            return
        for arg in args:
            if isinstance(arg, ast.Starred):  # ``*(1, 2)``: the items of an exact tuple or list are the arguments
                spread = self.facts.of(arg.value)
                if k.quiet_iteration(spread) and k.exact(spread):
                    continue
            if not k.exact(self.facts.of(arg)) and not self._builtin_object(arg):
                self.add("unknown", f"passes `{self.index.code(arg)}` to {self.index.code(func)}, not proven an "
                                    "exact builtin value")

    def _builtin_object(self, expr: ast.AST) -> bool:
        """``float``, ``len``, ``ValueError``: a builtin type or function that has no effect of its own,
        handed over as a value. It is exactly what it is (no subclass); a callee that calls it calls an
        unknown parameter, which its own proof refuses."""
        qualified = self.index.qualified_name(expr)
        if qualified is None or not qualified.startswith("builtins."):
            return False
        entry = catalogue.lookup(qualified)
        return qualified.removeprefix("builtins.") in EXCEPTIONS or (entry is not None and entry.pure)

    def _named_call(self, func: ast.Name) -> None:
        found = self.index.resolve(func)
        if _identity_function(self.index, func):
            return
        if found.kind == "global" and self.index.module_class(func.id) is not None:
            if not plain_exception(self.index, func.id):
                self.add("unknown", f"constructs {func.id} (a class of the module, not analyzed)")
        elif not (found.kind in ("local", "enclosing") and found.scope is not None and found.scope.within(self.own)
                  and all(_local_function(b.node, b.statement) for b in found.bindings)):
            self.add("unknown", f"calls {found.kind} {func.id} (unknown function)")

    def _method_call(self, call: ast.Call, func: ast.Attribute) -> None:
        receiver = self.facts.of(func.value)
        bases = sorted(k.bases(receiver)) if k.known(receiver) and all(kind.exact for kind in receiver) else None
        if bases is not None:  # on an exact None or int that has no such method: AttributeError, nothing runs
            bases = [base for base in bases if not catalogue.missing(base, func.attr)]
            if not bases:
                return
        guessed = bases is None and self.exact
        if guessed:  # exact mode: the receiver is some builtin or library object that has this method
            bases = sorted({name.split(".")[0] for name in catalogue.METHODS if name.endswith("." + func.attr)})
        entries = [catalogue.method(base, func.attr) for base in bases or ()]
        if not entries or any(e is None for e in entries):
            self.add("unknown", f"calls unknown method {self.index.code(func)}")
            return
        found: list[list[Effect]] = []
        for entry in entries:
            assert entry is not None
            saved, self.found = self.found, []
            self._entry(call, self.index.code(func), entry, list(call.args), receiver=func.value)
            found.append(self.found)
            self.found = saved + self.found
        if guessed and any(found) and not all(found):
            # the effect depends on what the receiver is: that is not known, say so (not "writes files"
            # for a ``value.replace`` that is a str's replace unless the value is a Path)
            del self.found[len(self.found) - sum(map(len, found)):]
            code = self.index.code(func)
            if k.known(receiver):
                shown = " or ".join(sorted(k.bases(receiver)))
                self.add("unknown", f"calls `{code}` on a value that may be a subclass of {shown} (its own "
                                    f"`{func.attr}` may be any code)")
            else:
                which = "; ".join(f"as a {base} it {effects[0].reason.removesuffix(f' ({code})')}"
                                  for base, effects in zip(bases or (), found) if effects)
                self.add("unknown", f"calls `{code}` on a value whose type is not known ({which})")

    def _known_callable(self, expr: ast.AST) -> bool:
        """A callback the analysis sees: a lambda or def of this function, a module function (its
        effects come through the call graph) or a pure library function."""
        if isinstance(expr, ast.Lambda) or (isinstance(expr, ast.Constant) and expr.value is None):
            return True
        if resolve_callee(self.index, self.fn, expr) is not None:
            return True
        qualified = self.index.qualified_name(expr)
        if qualified is not None:
            entry = catalogue.lookup(qualified)
            return entry is not None and entry.pure
        if isinstance(expr, ast.Name):
            found = self.index.resolve(expr)
            return found.scope is not None and found.scope.within(self.own) and bool(found.bindings) and all(
                _local_function(b.node, b.statement) for b in found.bindings)
        return False

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        if isinstance(node, ast.ClassDef):
            self.add("unknown", f"defines class {node.name}")
            return
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.index.qualified_name(target) not in HARMLESS_DECORATORS:
                self.add("unknown", f"decorates {node.name} with @{self.index.code(decorator)} (unknown effect)")

    # --- ownership -----------------------------------------------------------------------------

    def owned(self, expr: ast.AST) -> bool:
        return owned(self.index, self.fn, expr)

    def _where(self, expr: ast.AST) -> str:
        root = chain_root(expr)
        kind = self.index.binding(root) if isinstance(root, ast.Name) else "expression"
        return {"param": " (reachable from a parameter)", "global": " (a module global)",
                "import": " (a module)"}.get(kind, " (not a fresh local object)")


def owned(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST, seen: frozenset[int] = frozenset()) -> bool:
    """``expr`` evaluates to an object created during this call that only the call holds when it
    is changed: a display, a comprehension, a fresh result, or a local bound only to those."""
    if isinstance(expr, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
        return True
    if isinstance(expr, ast.Call):
        qualified = index.qualified_name(expr.func)
        if qualified is not None:
            entry = catalogue.lookup(qualified)
            return entry is not None and entry.fresh
        if isinstance(expr.func, ast.Attribute):  # ``xs.copy()``, ``text.split()`` on an exact builtin
            receiver = types.facts(index, fn).of(expr.func.value)
            entries = [catalogue.method(kind.base, expr.func.attr) for kind in receiver] \
                if k.known(receiver) and all(kind.exact for kind in receiver) else []
            return bool(entries) and all(e is not None and e.fresh for e in entries)
        return False
    if isinstance(expr, ast.Name) and id(expr) not in seen:
        found = index.resolve(expr)
        if found.kind != "local" or found.scope is None or not found.scope.within(index.function_scope(fn)):
            return False
        for binding in found.bindings:
            if binding.kind == "augassign":
                continue
            value = getattr(binding.statement, "value", None)
            if binding.kind == "with" and isinstance(binding.statement, ast.withitem):
                value = binding.statement.context_expr
            if binding.kind not in ("assign", "annassign", "with") or value is None or not isinstance(
                    binding.node, ast.Name) or not owned(index, fn, value, seen | {id(expr)}):
                return False
        return bool(found.bindings)
    return False


def special_reason(index: ModuleIndex, special: str, call: ast.Call, args: list[ast.AST],
                   shown: str) -> tuple[str, str] | None:
    """What a call whose effect depends on its arguments does (None: it only reads)."""
    keywords = {w.arg: w.value for w in call.keywords if w.arg is not None}
    if special == "open":
        mode = keywords.get("mode", args[1] if len(args) > 1 else None)
        if any(isinstance(a, ast.Starred) for a in args) or any(w.arg is None for w in call.keywords):
            return "output", f"opens a file with unknown arguments ({shown})"
        if mode is None:
            return None
        if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
            return "output", f"opens a file with a non-constant mode ({shown})"
        return ("output", f"opens a file for writing ({shown})") if set(mode.value) & set("wax+") else None
    if special == "urlopen":
        data = len(args) > 1 or "data" in keywords or "method" in keywords
        return ("output", f"sends data ({shown})") if data else None
    if special == "http-verb":
        verb = args[0] if args else keywords.get("method")
        if isinstance(verb, ast.Constant) and str(verb.value).upper() in ("GET", "HEAD", "OPTIONS"):
            return None
        return "output", f"sends a request whose method is not GET/HEAD ({shown})"
    return "unknown", f"calls {shown}"


def _textual(facts: types.TypeFacts, expr: ast.AST) -> bool:
    """A str (or a str subclass): an f-string, a str constant, ``+`` of such, or a str by kind."""
    if isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str)):
        return True
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod)):
        return _textual(facts, expr.left) and (isinstance(expr.op, ast.Mod) or _textual(facts, expr.right))
    return k.is_(facts.of(expr), ("str",))


def _argument(call: ast.Call, args: list[ast.AST], position: int | str) -> ast.AST | None:
    if isinstance(position, int):
        return args[position] if position < len(args) else None
    return next((w.value for w in call.keywords if w.arg == position), None)


def _local_function(node: ast.AST, statement: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
        isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Lambda))


def _cast_type(index: ModuleIndex, name: ast.Name) -> bool:
    """``cast(NormalizedName, value)``: the type argument's value is never used."""
    parent = index.parent(name)
    return isinstance(parent, ast.Call) and bool(parent.args) and parent.args[0] is name \
        and index.qualified_name(parent.func) in types.CASTS


def _identity_function(index: ModuleIndex, name: ast.Name) -> bool:
    """A NewType (bound once, never rebound at run time) called with one argument: it returns it."""
    call = index.parent(name)
    return (isinstance(call, ast.Call) and call.func is name and len(call.args) == 1 and not call.keywords
            and not isinstance(call.args[0], ast.Starred) and annotated.newtype_base(index, name) is not None
            and not rebinders(index).of(name.id))


def _isinstance_argument(index: ModuleIndex, name: ast.Name) -> bool:
    """``isinstance(x, C)`` / ``issubclass(x, (C, D))``: the class is only compared against."""
    node: ast.AST | None = index.parent(name)
    argument: ast.AST = name
    while isinstance(node, ast.Tuple):
        argument, node = node, index.parent(node)
    return (isinstance(node, ast.Call) and len(node.args) == 2 and node.args[1] is argument
            and index.qualified_name(node.func) in ("builtins.isinstance", "builtins.issubclass"))


def plain_exception(index: ModuleIndex, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """A module exception class with no methods, deriving from builtin exceptions (perhaps through
    other such classes): creating and raising one does nothing else."""
    cls = index.module_class(name)
    if cls is None or name in seen or cls.keywords or cls.decorator_list or any(
            isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in walk(cls)):
        return False
    if not cls.bases:
        return False
    for base in cls.bases:
        known = index.qualified_name(base)
        if known is not None and known.removeprefix("builtins.") in EXCEPTIONS:
            continue
        if not (isinstance(base, ast.Name) and plain_exception(index, base.id, seen | {name})):
            return False
    return True


def _thread_local(index: ModuleIndex, name: str) -> bool:
    return any(isinstance(value := getattr(b.statement, "value", None), ast.Call)
               and index.qualified_name(value.func) in THREAD_LOCAL for b in index.global_bindings(name))
