"""Can a module global or a builtin be rebound while some code runs?

The module's globals are changed only by the module's own code (assumption
``module-globals-private``) and builtins not at all from outside (``builtins-unchanged``). Inside the
module, a name is rebound by a function that declares it ``global`` and assigns it, and anything by
code that uses ``globals()``, ``vars()``, ``exec``, ``eval``, ``setattr`` on a module or
``__builtins__``. Code run by a region (a loop) is what it calls, transitively, through module
functions, methods of known classes and callbacks; a call of unknown code (a parameter, a method
of an object of unknown class, an unknown library function, ``yield``) may run any function of
the module, so then every rebinding function counts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from evolver.analysis import catalogue, types
from evolver.analysis import kinds as k
from evolver.analysis.callgraph import reachable, resolve_callee
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.quiet import implicit_code
from evolver.analysis.scopes import Scope
from evolver.analysis.tree import chain_top, walk

ANYTHING = "*"
MODULE_HANDLES = ("sys.modules", "sys._getframe", "inspect.currentframe", "inspect.stack", "inspect.getmodule",
                  "importlib.import_module", "importlib.reload")  # reach a module or a frame
GLOBALS_ATTRIBUTES = frozenset({"f_globals", "__globals__"})  # a frame's, a function's module globals
OBJECT_SETTERS = frozenset({"builtins.setattr", "builtins.delattr", "builtins.vars"})  # change the object given
NO_HANDLE_VALUE = frozenset({"builtins.exec", "builtins.eval", "builtins.__import__", "builtins.setattr",
                             "builtins.delattr"})
DYNAMIC = frozenset({"builtins.globals", "builtins.vars", "builtins.exec", "builtins.eval", "builtins.setattr",
                     "builtins.delattr", "builtins.__import__"})


@dataclass
class Rebinders:
    """Which functions rebind which module globals (``ANYTHING``: any of them, and builtins)."""

    by_name: dict[str, list[str]] = field(default_factory=dict)
    builtins: list[str] = field(default_factory=list)  # why builtins may be rebound by the module
    how: dict[str, str] = field(default_factory=dict)  # a function that can rebind any global: by what

    def of(self, name: str) -> list[str]:
        return self.by_name.get(name, []) + self.by_name.get(ANYTHING, [])


def rebinders(index: ModuleIndex) -> Rebinders:
    """Every function of the module that rebinds a global, by name (read from the syntax and names
    alone, like everything it calls: cached in ``index.syntax``)."""
    if "rebinders" in index.syntax:
        return index.syntax["rebinders"]
    found = Rebinders()
    for name, bindings in index.scopes.module.bindings.items():
        for binding in bindings:
            owner = index.enclosing_function(binding.node)
            if owner is not None:
                found.by_name.setdefault(name, []).append(owner.qualname)
    for fn in index.functions:
        dynamic = _dynamic(index, fn)
        if dynamic:
            found.by_name.setdefault(ANYTHING, []).append(fn.qualname)
            found.how[fn.qualname] = f"through {dynamic}"
    for scope in _module_lambdas(index.scopes.module):
        use = next((q for n in scope.loads if (q := index.qualified_name(n)) in DYNAMIC), None)
        if use is not None:
            culprit = f"the lambda at line {scope.node.lineno}"  # type: ignore[attr-defined]
            found.by_name.setdefault(ANYTHING, []).append(culprit)
            found.how[culprit] = f"through {use.removeprefix('builtins.')}()"
    handed = _handed_out(index)
    if handed:  # code that stores into items or attributes, or calls methods, may write through the handle
        culprits: list[tuple[str, ast.AST]] = [(fn.qualname, fn.node) for fn in index.functions]
        culprits += [(f"the lambda at line {scope.node.lineno}", scope.node)  # type: ignore[attr-defined]
                     for scope in _module_lambdas(index.scopes.module)]
        for culprit, code in culprits:
            if culprit not in found.how and _may_write_through(index, code):
                found.by_name.setdefault(ANYTHING, []).append(culprit)
                found.how[culprit] = f"may write them through {handed}"
    if index.star_import:
        found.builtins.append("the module has `from ... import *`")
    for node in walk(index.tree):
        if isinstance(node, ast.Name) and node.id == "__builtins__":
            found.builtins.append("the module uses `__builtins__`")
        elif isinstance(node, ast.alias) and node.name == "builtins":
            found.builtins.append("the module imports `builtins`")
    found.builtins = list(dict.fromkeys(found.builtins))
    index.syntax["rebinders"] = found
    return found


def _module_lambdas(scope: Scope) -> list[Scope]:
    """Lambda scopes (and what they nest) outside every function: their bodies belong to no
    function of the index."""
    found = []
    for child in scope.children:
        if child.kind == "function":
            continue
        if child.kind == "lambda" or scope.kind == "lambda":
            found.append(child)
        found += _module_lambdas(child)
    return found


def _dynamic(index: ModuleIndex, fn: FunctionInfo) -> str:
    """How the function's own code can rebind any global (``globals()[k] = v``, ``exec``, the module
    object from ``sys.modules``, a frame's ``f_globals``, a function's ``__globals__``...): what it
    uses, or "" when it cannot."""
    key = ("dynamic", fn.node)
    if key not in index.syntax:
        index.syntax[key] = next((why for scope in index.function_scopes(fn) for n in scope.loads
                                 if (why := _handle(index, n))), "") or next(
            (f"`.{n.attr}`" for n in index.walk(fn.node) if isinstance(n, ast.Attribute) and n.attr in GLOBALS_ATTRIBUTES),
            "")
    return index.syntax[key]


def _handle(index: ModuleIndex, name: ast.Name) -> str:
    """What a name read gives that reaches the module's globals ("" when nothing)."""
    held = _held_handles(index).get(name.id) if index.binding(name) == "global" else None
    return f"`{name.id}` (holds {held})" if held else _direct_handle(index, name)


def _held_handles(index: ModuleIndex) -> dict[str, str]:
    """Module globals that top-level code binds to a handle on the module (``G = globals()``,
    ``ME = sys.modules[__name__]``), with the handle they hold."""
    if "held-handles" not in index.syntax:
        held: dict[str, str] = {}
        index.syntax["held-handles"] = held
        changed = True
        while changed:
            changed = False
            for statement in _top_level(index.tree):
                if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)) or statement.value is None:
                    continue
                why = next((w for n in walk(statement.value) if isinstance(n, ast.Name) and (w := _handle(index, n))), "")
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in (n for t in targets for n in walk(t) if isinstance(n, ast.Name)):
                    if why and target.id not in held:
                        held[target.id], changed = why, True
    return index.syntax["held-handles"]


def _handed_out(index: ModuleIndex) -> str:
    """A handle on the module's globals that top-level code hands on (``register(globals())``, a class
    attribute...), through which any function may then write them; binding it to a module global
    (``_held_handles``), storing through it, calling its methods or iterating it hands nothing on."""
    for node in walk(index.tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) \
                or index.enclosing_function(node) is not None:
            continue
        why, call = _handle(index, node), index.parent(node)
        if not why or index.qualified_name(node) in NO_HANDLE_VALUE or (
                index.qualified_name(node) == "builtins.vars" and isinstance(call, ast.Call) and call.args):
            continue  # exec(...), setattr(...), vars(obj): the value they give is no handle on the globals
        value: ast.AST = node  # the handle's value: climb the chain that starts at the name
        parent = index.parent(value)
        while (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is value) \
                or (isinstance(parent, ast.Call) and parent.func is value):
            if isinstance(parent, ast.Attribute) and isinstance(index.parent(parent), ast.Call) \
                    and index.parent(parent).func is parent:  # type: ignore[union-attr]
                break  # a method called on the handle (globals().update(...)) keeps it here
            value, parent = parent, index.parent(parent)
        if isinstance(parent, ast.Attribute) or _kept_here(index, value, parent):
            continue
        return f"{why} handed on at line {getattr(value, 'lineno', '?')}"
    return ""


def _may_write_through(index: ModuleIndex, node: ast.AST) -> bool:
    """May code store into an object it holds: an item or attribute store, or a call of another kind."""
    for n in walk(node):
        if isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(n, ast.Call) and not _writes_nothing_handed(index, n.func):
            return True
    return False


def _writes_nothing_handed(index: ModuleIndex, func: ast.AST) -> bool:
    """A callee that stores through nothing it is handed: a builtin but the dynamic ones, a module function."""
    if not isinstance(func, ast.Name):
        return False
    qualified = index.qualified_name(func)
    if qualified is not None:
        return qualified.startswith("builtins.") and qualified not in DYNAMIC
    return index.binding(func) == "global" and index.module_function(func.id) is not None


def _kept_here(index: ModuleIndex, value: ast.AST, parent: ast.AST | None) -> bool:
    """Whether the handle's value, in this place, stays in the module's own top-level code."""
    if isinstance(parent, ast.Expr | ast.Compare | ast.Delete) or (isinstance(parent, ast.comprehension | ast.For)
                                                      and parent.iter is value):
        return True  # discarded, compared (`k in globals()`), deleted from or iterated (its keys)
    if not isinstance(parent, ast.Assign | ast.AnnAssign | ast.AugAssign):
        return False
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
    if value in targets:
        return True  # stored through: `globals()[k] = v`
    outer = index.parent(parent)  # held by a module global (followed); a class attribute is handed on
    while outer is not None and not isinstance(outer, ast.ClassDef):
        outer = index.parent(outer)
    return outer is None and all(isinstance(t, ast.Name) for t in targets)


def _top_level(node: ast.AST) -> list[ast.AST]:
    """The statements that run outside every function (in class bodies too)."""
    found: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt) and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [child, *_top_level(child)]
    return found


def _direct_handle(index: ModuleIndex, name: ast.Name) -> str:
    qualified = index.qualified_name(name)
    if qualified in DYNAMIC and not _other_module_attribute(index, name, qualified) \
            and not _not_this_module(index, name, qualified):
        return f"{qualified.removeprefix('builtins.')}()"
    chain = index.qualified_name(chain_top(index, name))
    if chain is None:
        return ""
    own = index.module
    if (chain == "sys.modules" or chain.startswith("sys.modules.")) and _other_entry(index, _modules_node(index, name), own):
        return ""
    if any(chain == h or chain.startswith(h + ".") for h in MODULE_HANDLES) or chain == own or chain.startswith(own + "."):
        return f"`{chain}`"
    return ""


def _modules_node(index: ModuleIndex, name: ast.AST) -> ast.AST:
    """The node of the chain starting at ``name`` that is ``sys.modules`` itself."""
    node: ast.AST = name
    while index.qualified_name(node) != "sys.modules" and isinstance(parent := index.parent(node), ast.Attribute):
        node = parent
    return node


def _other_entry(index: ModuleIndex, modules: ast.AST, own: str) -> bool:
    """``sys.modules["statistics"]`` (read, set or deleted), ``sys.modules.get("x")``: the entry of
    another module, named by a constant: not this one (which may also run as ``__main__``) nor a
    package that holds it."""
    parent = index.parent(modules)
    if isinstance(parent, ast.Subscript) and parent.value is modules:
        key: ast.AST | None = parent.slice
    elif isinstance(parent, ast.Attribute) and parent.attr in ("get", "pop", "setdefault") and isinstance(
            call := index.parent(parent), ast.Call) and call.func is parent and call.args:
        key = call.args[0]
    else:
        return False
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in (own, "__main__") \
        and not own.startswith(key.value + ".")  # a package holds its submodules


def _other_module_attribute(index: ModuleIndex, name: ast.Name, qualified: str) -> bool:
    """``setattr(sys, "stdout", f)``: setting an attribute of another module, imported by name,
    rebinds nothing of this one."""
    call = index.parent(name)
    if qualified not in ("builtins.setattr", "builtins.delattr") or not (
            isinstance(call, ast.Call) and call.func is name and call.args):
        return False
    target = call.args[0]
    other = index.qualified_name(target) if isinstance(target, ast.Name) else None
    return other is not None and index.binding(target) == "import" and other != index.module  # type: ignore[arg-type]


def _not_this_module(index: ModuleIndex, name: ast.Name, qualified: str | None) -> bool:
    """``setattr(obj, ...)``, ``delattr(obj, ...)``, ``vars(obj)`` on an object that cannot be this
    module: the module never takes hold of its own module object (``sys.modules``, an import of
    itself, ``globals()``, ``exec``...), so only code outside could hand it over, which
    ``module-globals-private`` rules out. ``setattr(self, ...)`` then changes an object, no global."""
    call = index.parent(name)
    return qualified in OBJECT_SETTERS and isinstance(call, ast.Call) and call.func is name \
        and bool(call.args) and not isinstance(call.args[0], ast.Starred) and not reaches_itself(index)


def reaches_itself(index: ModuleIndex) -> str:
    """How the module's code (its functions or top level) can take hold of its own module object or
    its globals: a module handle, an import of itself, ``globals()``, ``exec``... ("" when it cannot)."""
    if "reaches-itself" not in index.syntax:
        index.syntax["reaches-itself"] = next(
            (why for n in walk(index.tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
             and index.qualified_name(n) not in OBJECT_SETTERS and (why := _handle(index, n))), "") or next(
            (f"`.{n.attr}`" for n in walk(index.tree) if isinstance(n, ast.Attribute) and n.attr in GLOBALS_ATTRIBUTES),
            "")
    return index.syntax["reaches-itself"]


def region_reasons(index: ModuleIndex, fn: FunctionInfo, region: list[ast.AST], name: str,
                   builtin: bool = False) -> list[str]:
    """Why ``name`` (a module global, or a builtin when ``builtin``) may be rebound while ``region``
    runs (empty: it cannot be)."""
    table = rebinders(index)
    reasons = list(table.builtins) if builtin else []
    culprits = table.of(name) if not builtin else table.by_name.get(name, []) + table.by_name.get(ANYTHING, [])
    if not culprits:
        return reasons
    runs, unknown = code_run(index, fn, region)
    if not unknown:  # a special method, a property or an iterator of a value of unknown class is unknown code too
        unknown = implicit_code(index, fn, region, runs)
    for culprit in culprits:
        how = f" ({table.how[culprit]})" if culprit in table.how else ""
        if culprit in runs:
            reasons.append(f"{culprit} rebinds `{name}`{how} and the loop calls it")
        elif unknown:
            reasons.append(f"{culprit} rebinds `{name}`{how} and the loop calls unknown code ({unknown}) that "
                           f"could call it")
    return reasons


def read_once_reasons(index: ModuleIndex, fn: FunctionInfo, region: list[ast.AST], name: str,
                      builtin: bool = False) -> list[str]:
    """Why reading the module global ``name`` (a builtin when ``builtin``) once, right before
    ``region`` runs in ``fn``, may give another value than reading it wherever ``region`` does: it
    may be unbound then, or rebound while ``region`` runs (by ``fn`` itself, or by code it runs).
    The one answer hoist-invariant and local-alias share."""
    reasons = [] if builtin else global_binding_reasons(index, fn, name)
    table = rebinders(index)
    if fn.qualname in (table.by_name.get(ANYTHING, []) if builtin else table.of(name)):
        how = f" ({table.how[fn.qualname]})" if fn.qualname in table.how else ""
        reasons.append(f"{fn.qualname} itself rebinds `{name}`{how}")
    return reasons + region_reasons(index, fn, region, name, builtin)


def code_run(index: ModuleIndex, fn: FunctionInfo, region: list[ast.AST]) -> tuple[set[str], str]:
    """The module functions ``region`` may run (transitively), and the first call of code that
    cannot be seen ("" when there is none)."""
    key = ("code-run", tuple(id(r) for r in region))
    if key in index.cache:
        return index.cache[key]
    direct: dict[str, FunctionInfo] = {}
    unknown = ""
    for root in region:
        for node in index.walk(root):
            found = _runs(index, fn, node)
            if isinstance(found, FunctionInfo):
                direct[found.qualname] = found
            elif found and not unknown:
                unknown = found
    ordered = list(dict.fromkeys(f.qualname for callee in direct.values() for f in reachable(index, callee)))
    runs = set(ordered)
    if not unknown:  # the first in call order: the same reason on every run (a set's order depends on the hash seed)
        unknown = next((why for q in ordered if (why := _unknown_in(index, index.function(q)))), "")  # type: ignore[arg-type]
    index.cache[key] = (runs, unknown)
    return runs, unknown


def hidden(index: ModuleIndex, qualname: str) -> bool:
    """The rebinding code may run without a call the analysis sees: a method (run by an operator, a
    property read, an iterator), a generator or coroutine (run by whoever resumes it), a nested
    function or lambda, a decorated function, or a module function whose name is handed out as a
    value (a callback stored somewhere)."""
    found = index.function(qualname)
    if found is None or found.cls is not None or found.nested or found.is_async or found.node.decorator_list:
        return True
    if index.own(found, (ast.Yield, ast.YieldFrom), lambdas=False):
        return True
    return found.name in _escaping(index)


def _escaping(index: ModuleIndex) -> set[str]:
    """Names of module functions read somewhere other than as the callee of a call."""
    if "escaping-functions" not in index.cache:
        found = set()
        for node in walk(index.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and index.module_function(node.id):
                parent = index.parent(node)
                if not (isinstance(parent, ast.Call) and parent.func is node) and index.binding(node) == "global":
                    found.add(node.id)
        index.cache["escaping-functions"] = found
    return index.cache["escaping-functions"]


def _callback(index: ModuleIndex, call: ast.Call, entry: catalogue.Call | None) -> str:
    """A library call's callback argument the analysis cannot follow ("" when every callback is a
    module function, read by name where it stands, a lambda, or a constant)."""
    if entry is None:
        return ""
    positions = set(entry.calls) | ({1, "repl"} if entry.special == "regex-sub" else set())
    if not positions:
        return ""
    arguments = [a for at, a in enumerate(call.args) if at in positions or "*" in positions or isinstance(a, ast.Starred)]
    arguments += [kw.value for kw in call.keywords if kw.arg is None or kw.arg in positions]
    for argument in arguments:
        followed = isinstance(argument, (ast.Lambda, ast.Constant)) or (
            isinstance(argument, ast.Name) and index.binding(argument) == "global"
            and index.module_function(argument.id) is not None)
        if not followed:
            return f"the callback `{index.code(argument)}` that `{index.code(call.func)}` calls"
    return ""


def _unknown_in(index: ModuleIndex, callee: FunctionInfo) -> str:
    key = ("unknown-in", callee.node)
    if key not in index.cache:
        index.cache[key] = next((why for s in callee.node.body for n in index.walk(s)
                                 if isinstance(why := _runs(index, callee, n), str) and why), "")
    return index.cache[key]


def _runs(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> FunctionInfo | str:
    """What ``node`` runs: a module function, a description of unknown code, or "" (nothing)."""
    if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
        return "a suspension point: other code runs in between"
    if isinstance(node, (ast.AsyncFor, ast.AsyncWith)):
        return "an asynchronous loop or with: other code runs in between"
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and index.binding(node) == "global":
        callee = index.module_function(node.id)
        if callee is not None:
            return callee  # called here, or passed along to be called later
        return ""
    if not isinstance(node, ast.Call):
        return ""
    callee = resolve_callee(index, fn, node.func)
    if callee is not None:
        return callee
    qualified = index.qualified_name(node.func)
    if qualified is not None:
        entry = catalogue.lookup(qualified)
        if entry is None and not qualified.startswith("builtins."):
            return f"`{index.code(node.func)}`"
        return _callback(index, node, entry)  # module functions and lambdas it calls back: walked where they stand
    if isinstance(node.func, ast.Name) and index.module_class(node.func.id) is not None:
        return f"`{node.func.id}(...)` (its methods)"
    if isinstance(node.func, ast.Lambda):
        return ""
    if isinstance(node.func, ast.Name) and index.binding(node.func) in ("local", "enclosing") and all(
            isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef)) for b in index.bindings(node.func)):
        return ""  # a nested function: its body is part of the region's function
    if isinstance(node.func, ast.Attribute):
        entries = _builtin_methods(index, fn, node.func)
        if entries:  # `out.append(x)` on an exact list: only its callbacks (`sort(key=...)`) run code
            return next((why for entry in entries if (why := _callback(index, node, entry))), "")
    return f"`{index.code(node.func)}`"


def _builtin_methods(index: ModuleIndex, fn: FunctionInfo, func: ast.Attribute) -> list[catalogue.Call]:
    """What the catalogue says of the method, for every kind its receiver may have, when each is
    exactly a builtin and the method is listed (empty: not known)."""
    receiver = types.facts(index, fn).of(func.value)
    if not k.known(receiver) or not all(kind.exact for kind in receiver):
        return []
    entries = [catalogue.method(kind.base, func.attr) for kind in receiver]
    return [e for e in entries if e is not None] if all(e is not None for e in entries) else []


def global_binding_reasons(index: ModuleIndex, fn: FunctionInfo, name: str) -> list[str]:
    """``name`` is bound once, by a top-level statement, and before ``fn`` can first run: earlier in
    the module, or later with nothing in between that could call ``fn``."""
    if not index.bound_once(name):
        return [f"`{name}` is bound more than once in the module (or deleted)"]
    binding = index.global_bindings(name)[0]
    statement = top_statement(index, binding.node)
    if not _unconditional(index, binding.node, statement):
        return [f"`{name}` is bound conditionally"]
    start = top_statement(index, fn.node)
    if (statement.lineno, statement.col_offset) < (start.lineno, start.col_offset):
        return []
    body = list(index.tree.body)
    between = body[body.index(start):body.index(statement) + 1]
    if all(_inert(index, s) for s in between):
        return []
    return [f"`{name}` is bound later in the module, after code that could call {fn.qualname}"]


def top_statement(index: ModuleIndex, node: ast.AST) -> ast.stmt:
    """The statement of the module's body that holds ``node``."""
    while (parent := index.parent(node)) is not None and parent is not index.tree:
        node = parent
    assert isinstance(node, ast.stmt)
    return node


def _unconditional(index: ModuleIndex, node: ast.AST, statement: ast.AST) -> bool:
    if node is statement:
        return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom))
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.AugAssign)):
        current = index.parent(node)
        while current is not None and current is not statement:
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return False
            current = index.parent(current)
        return True
    return False


def _inert(index: ModuleIndex, statement: ast.AST) -> bool:
    """Running the top-level statement cannot call anything: an undecorated ``def`` without calls in
    its header, an assignment of literals, a docstring, ``pass``, an import."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        header = [*statement.args.defaults, *(d for d in statement.args.kw_defaults if d),
                  *([statement.returns] if statement.returns else [])]
        return not statement.decorator_list and not any(isinstance(n, ast.Call) for h in header for n in walk(h))
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        return not any(isinstance(n, (ast.Call, ast.Attribute, ast.Subscript, ast.BinOp)) for n in walk(statement.value))
    return False
