"""hoist-constant: a dict, list or set display of fixed values that a function builds on every call
and only reads becomes a module-level constant, built once."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis.import_time import builtin_reasons, fixed_reasons, fresh_name
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import frame_reasons
from evolver.analysis.rebinding import top_statement
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms.base import GENERATED, NO_SITE, Candidate, Context, Example, Transform, Verdict, leave, rewrite

PREFIX = f"{GENERATED}const_"
DISPLAYS = (ast.Dict, ast.List, ast.Set, ast.Tuple)
CST_DISPLAYS: dict[type[ast.AST], type[cst.BaseExpression]] = {ast.Dict: cst.Dict, ast.List: cst.List, ast.Set: cst.Set, ast.Tuple: cst.Tuple}
COMPOUND = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
            ast.AsyncWith, ast.Try, ast.Match, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
READ_METHODS = {ast.Dict: frozenset({"get"}), ast.List: frozenset({"index", "count"}),
                ast.Tuple: frozenset({"index", "count"}), ast.Set: frozenset()}


@dataclass(frozen=True)
class Display:
    """A display bound to a local (``name``) or read where it stands (``name`` None); ``hoisted``:
    already replaced by this transform's module constant (``node`` is then that name)."""

    node: ast.AST
    name: str | None = None
    hoisted: bool = False


@dataclass(frozen=True)
class Displays(Candidate):
    """The function (the site) and the displays in it, in source order: one rewrite hoists every
    one that may be hoisted (a function's constant tables are worth it together)."""

    displays: tuple[Display, ...] = ()


class HoistConstant(Transform):
    """Build a constant container once, at import, instead of on every call.

    What it rewrites: a dict, list or set display (or a tuple display naming builtins) in a function,
    bound once to a local that is only read, or read right where it stands (``{...}[k]``,
    ``{...}.get(k)``, ``k in {...}``), whose keys and elements are constants, builtin names, module
    constants or ``type(...)``/``len(...)`` of those. The display moves to a module-level constant
    ``_evolver_const_<function>_<local>`` right before the statement that defines the function; the
    function reads that constant instead. The site is the function: one rewrite hoists every display
    of it that may be hoisted (its notes name those it leaves, with the reason).

    Why it is faster: a dict display of n entries builds a new dict (n stores, a hash each) on every
    call; reading a module constant is one lookup.

    Example::

                                                  _evolver_const_rank_order = {int: 0, float: 1, str: 2}
        def rank(t):                       ->
            order = {int: 0, float: 1, str: 2}    def rank(t):
            return order.get(t, 3)                    order = _evolver_const_rank_order
                                                      return order.get(t, 3)

    Rewrite safety: evaluated once before the function's ``def`` instead of on every call, every
    key and element is the same object, because each is a constant, a tuple of such, a builtin name
    that the module never binds and no function of it can rebind (no ``global`` assignment,
    ``globals()``, ``setattr`` on the module, ``exec``, ``from ... import *``, ``__builtins__``;
    assumption builtins-unchanged), a module constant bound by a plain assignment among the module's
    statements *before* that ``def`` and never rebound (evolver.analysis.constants; assumption
    module-globals-private), or a call of ``type``, ``len``, ``bool``, ``isinstance``,
    ``issubclass`` or ``callable`` of such values (results of the values alone: never ``id``,
    ``hash`` or ``object()``). Building the display then runs no user code (hashing constants and
    builtin objects) and cannot raise, so moving it to import time changes no outcome. A nested
    list, dict or set display is refused: each call built a fresh one, which the caller could get
    and change; with one shared object the change would reach the next call. Tuples of builtins
    built on every call become one shared tuple: only their identity differs
    (identity-not-observed). The container itself is never handed to other code: each use reads it
    (``d[k]`` loaded, ``d.get(...)``, ``l.index``/``l.count``, the right side of ``in``/``not in``,
    ``len(d)``, the iterable of a ``for`` or a comprehension), never stores into it, mutates,
    returns, passes, compares, deletes or aliases it (a read in a lambda, a nested function or a
    generator is a read too: it runs later, on the same unchanged object), and a local is bound only by that one assignment and the function does not reach its
    locals by name (``locals()``, ``eval``, ``sys._getframe``; assumption frames-not-inspected):
    so no code can change the shared container, and every read of it sees what a fresh one holds.
    The local keeps its name (it is bound to the module constant), so the rest of the function is
    unchanged. The constant's name is new to the module (no name, attribute, argument or import
    spells it).
    """

    name: ClassVar[str] = "hoist-constant"
    description: ClassVar[str] = "build a constant dict/list/set display once, at import, instead of on every call"
    preconditions: ClassVar[tuple[str, ...]] = (
        "every key and element a constant, a tuple of constants, a builtin name, a module constant, or "
        "type/len/bool/isinstance/issubclass/callable of such: no nested list, dict or set display, no other call, "
        "no variable of the function",
        "no builtin it names is bound by the module or can be rebound by its code (a global assignment, globals(), "
        "setattr on the module, exec, `from ... import *`, `import builtins`, `__builtins__`)",
        "a module constant it names is immutable, bound once by a plain assignment among the module's statements "
        "before the function's own statement, and never rebound",
        "the container is only read: subscripted, `.get`, `.index`/`.count`, the right side of `in`/`not in`, "
        "`len`, iterated; never stored into, mutated, returned, passed on, compared or aliased",
        "a local holding it is a variable of the function bound only there (no augmented assignment, no "
        "global/nonlocal), and the function does not read its own local variables (locals(), vars(), eval, "
        "sys._getframe)",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("builtins-unchanged", "identity-not-observed")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def f(k):\n    d = {'a': [1]}\n    return d[k]\n", "a list built anew on every call"),
        leave("def f(k, n):\n    d = {'a': n}\n    return d[k]\n", NO_SITE),
        leave("import sys\n\n\ndef f(k):\n    d = {'a': sys.maxsize}\n    return d[k]\n", "not a constant"),
        leave("def f(k):\n    d = {'a': 1}\n    return d\n", "used other than by reading"),
        leave("def f(k):\n    d = {'a': 1}\n    d[k] = 2\n    return d['a']\n", "used other than by reading"),
        leave("def f(k, g):\n    d = {'a': 1}\n    g(d)\n    return d[k]\n", "used other than by reading"),
        leave("def f(k):\n    d = {'a': 1}\n    if k:\n        d = {'b': 2}\n    return d.get(k)\n", "bound more than once"),
        leave("def f(k):\n    d = {'a': 1}\n    return (lambda: d)()[k]\n", "used other than by reading"),
        leave("def f(k):\n    d = {'a': 1}\n    return d[k], locals()\n", "reads its local variables"),
        leave("str = bytes\n\n\ndef f(t):\n    return {str: 1, int: 2}.get(t)\n", "reads module global str"),
        leave("from os.path import *\n\n\ndef f(t):\n    return {int: 1}.get(t)\n", "import \\*"),
        leave("import builtins\n\n\ndef f(t):\n    return {int: 1}.get(t)\n", "imports `builtins`"),
        leave("def patch():\n    globals()['int'] = float\n\n\ndef f(t):\n    return {int: 1}.get(t)\n",
              "patch can rebind `int`"),
        leave("def f(t):\n    return {LIMIT: 1}.get(t)\n\n\nLIMIT = 1\n", "not bound by a module statement before"),
        leave("def f(t):\n    return {'a': object()}[t]\n", "calls `object`"),
    )
    examples += (
        rewrite("def rank(t):\n    order = {int: 0, float: 1, str: 2}\n    return order.get(t, 3)\n",
                "_evolver_const_rank_order = {int: 0, float: 1, str: 2}\n\n\n"
                "def rank(t):\n    order = _evolver_const_rank_order\n    return order.get(t, 3)\n"),
        rewrite('"""Units."""\n\nKB = 1024\n\n\n# the unit of a suffix\ndef unit(s):\n    return {"k": KB, "b": 1}[s]\n',
                '"""Units."""\n\nKB = 1024\n\n\n_evolver_const_unit_0 = {"k": KB, "b": 1}\n\n\n'
                '# the unit of a suffix\ndef unit(s):\n    return _evolver_const_unit_0[s]\n'),
        rewrite("class Box:\n    def kind(self, t):\n        names = [type(None), bool, int]\n"
                "        return t in names\n",
                "_evolver_const_Box_kind_names = [type(None), bool, int]\n\n\n"
                "class Box:\n    def kind(self, t):\n        names = _evolver_const_Box_kind_names\n"
                "        return t in names\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Displays]:
        found = tuple(d for node in index.own_nodes(fn) if (d := _candidate(index, node)) is not None)
        return [Displays(fn.node, None, found)] if found else []

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Displays, ctx: Context) -> Verdict:
        verdicts = [(d, _display_verdict(index, fn, d)) for d in candidate.displays]
        hoisted = [d for d, v in verdicts if not v.reasons]
        features = {"n_displays": len(hoisted), "n_elements": sum(len(_elements(d.node)) for d in hoisted),
                    "form": int(any(d.name is not None for d in hoisted))}
        if not hoisted:
            reasons = [r if r == "already hoisted" else f"{_label(index, d)}: {r}" for d, v in verdicts for r in v.reasons]
            return Verdict(list(dict.fromkeys(reasons)), features=features)
        notes = [f"hoists {', '.join(_label(index, d) for d in hoisted)}"]
        notes += [f"leaves {_label(index, d)}: {v.reasons[0]}" for d, v in verdicts if v.reasons and not d.hoisted]
        assumptions = list(dict.fromkeys(a for _, v in verdicts if not v.reasons for a in v.assumptions))
        return Verdict([], notes, assumptions, features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find_applicable(index, site, ctx)
        view = CstView.of(index)
        owner = fn.qualname.replace(".", "_").replace("~", "_")
        replacements: dict[int, cst.CSTNode] = {}
        definitions: list[cst.SimpleStatementLine] = []
        taken: set[str] = set()
        for number, display in enumerate(candidate.displays):
            if _display_verdict(index, fn, display).reasons:
                continue
            node: cst.BaseExpression = view.node(display.node, CST_DISPLAYS[type(display.node)])
            name = fresh_name(index, f"{PREFIX}{owner}_{display.name or number}", taken)
            taken.add(name)
            replacements[id(node)] = cst.Name(name)
            definitions.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], node)]))
        position = _cst_position(index.tree.body, top_statement(index, fn.node))
        tree = view.replace(replacements)
        body = list(tree.body)
        statement = body[position]
        leading = list(statement.leading_lines)
        blank = []
        while leading and leading[0].comment is None:
            blank.append(leading.pop(0))
        two = [cst.EmptyLine(), cst.EmptyLine()]
        definitions = [d.with_changes(leading_lines=blank if i == 0 else two) for i, d in enumerate(definitions)]
        body[position] = statement.with_changes(leading_lines=[*two, *leading])
        return tree.with_changes(body=[*body[:position], *definitions, *body[position:]]).code


def _display_verdict(index: ModuleIndex, fn: FunctionInfo, display: Display) -> Verdict:
    """Whether one display may be hoisted (its reasons), and what it relies on."""
    if display.hoisted:
        return Verdict(["already hoisted"])
    node = display.node
    before = top_statement(index, fn.node)
    reasons = [r for element in _elements(node) for r in fixed_reasons(index, fn, element, before)]
    if display.name is None:
        reasons += _use_reasons(index, node, node)
    else:
        reasons += _local_reasons(index, fn, display) + frame_reasons(index, fn)
    assumptions = ["frames-not-inspected"] if display.name is not None else []
    if any(isinstance(n, ast.Name) and index.binding(n) == "global" for e in _elements(node) for n in ast.walk(e)):
        assumptions.append("module-globals-private")
    return Verdict(list(dict.fromkeys(reasons)), assumptions=assumptions)


def _label(index: ModuleIndex, display: Display) -> str:
    return f"`{display.name}`" if display.name is not None else f"`{index.code(display.node, 40)}` (line {display.node.lineno})"  # type: ignore[attr-defined]


def _cst_position(body: list[ast.stmt], top: ast.stmt) -> int:
    """Where ``top`` stands in libcst's module body, which keeps simple statements joined by ``;``
    on one line as one statement."""
    position, previous = -1, None
    for statement in body:
        joined = previous is not None and not isinstance(statement, COMPOUND) and not isinstance(
            previous, COMPOUND) and statement.lineno == previous.end_lineno
        position += 0 if joined else 1
        if statement is top:
            return position
        previous = statement
    raise AssertionError("the statement is not in the module's body")


# --- candidates ----------------------------------------------------------------------------------


def _candidate(index: ModuleIndex, node: ast.AST) -> Display | None:
    if isinstance(node, ast.Name) and node.id.startswith(PREFIX) and isinstance(node.ctx, ast.Load) \
            and index.binding(node) == "global":
        parent = index.parent(node)
        local = _local_target(parent) if isinstance(parent, (ast.Assign, ast.AnnAssign)) else None
        return Display(node, local, True)
    if not isinstance(node, DISPLAYS) or not _elements(node) or _reads_variables(index, node):
        return None
    constant = all(isinstance(e, ast.Constant) for e in _elements(node))
    if isinstance(node, ast.Tuple) and constant:
        return None  # one constant of the code already
    parent = index.parent(node)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
        local = _local_target(parent)
        return Display(node, local) if local is not None else None
    if isinstance(parent, (ast.Subscript, ast.Attribute)) and parent.value is node:
        return Display(node)
    if isinstance(parent, ast.Compare) and node in parent.comparators and isinstance(
            parent.ops[parent.comparators.index(node)], (ast.In, ast.NotIn)) and not (
            constant and isinstance(node, (ast.List, ast.Set))):  # ``x in [1, 2]``: the compiler folds it
        return Display(node)
    return None


def _reads_variables(index: ModuleIndex, display: ast.AST) -> bool:
    """It reads a variable of the function (or of one around it): never this transform's shape."""
    return any(isinstance(n, ast.Name) and index.binding(n) in ("local", "param", "enclosing")
               for n in index.walk(display))


def _local_target(statement: ast.Assign | ast.AnnAssign) -> str | None:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None


def _elements(display: ast.AST) -> list[ast.expr]:
    if isinstance(display, ast.Dict):
        return [*[k for k in display.keys if k is not None], *display.values] if None not in display.keys else []
    elts = getattr(display, "elts", [])
    return [] if any(isinstance(e, ast.Starred) for e in elts) else list(elts)


# --- checks --------------------------------------------------------------------------------------


def _use_reasons(index: ModuleIndex, node: ast.AST, display: ast.AST) -> list[str]:
    """Why this read of the container (``node``: the display itself, or a local's name) may hand it
    to code that could keep or change it (empty: it only reads it)."""
    parent = index.parent(node)
    shown = f"`{index.code(parent if parent is not None else node)}` (line {getattr(node, 'lineno', 0)})"
    if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Load):
        return []
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in READ_METHODS[type(display)]:
        call = index.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent:
            return []
    if isinstance(parent, ast.Compare) and node in parent.comparators and isinstance(
            parent.ops[parent.comparators.index(node)], (ast.In, ast.NotIn)):
        at = parent.comparators.index(node)
        if at + 1 == len(parent.comparators) or not isinstance(parent.ops[at + 1], (ast.In, ast.NotIn)):
            return []  # ``k in d in x`` would hand d to x.__contains__
    if isinstance(parent, ast.Call) and parent.args == [node] and not parent.keywords and isinstance(
            parent.func, ast.Name) and parent.func.id == "len" and index.binding(parent.func) == "builtin":
        fn = index.enclosing_function(node)
        if fn is not None and not builtin_reasons(index, fn, "len"):
            return []
    if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node:
        return []
    name = node.id if isinstance(node, ast.Name) else "it"
    return [f"`{name}` is used other than by reading it: {shown}"]


def _local_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Display) -> list[str]:
    statement = index.parent(candidate.node)
    assert statement is not None and candidate.name is not None
    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target  # type: ignore[attr-defined]
    scope = index.resolve_store(target)
    if scope is not index.function_scope(fn):
        return [f"`{candidate.name}` is not a local variable of {fn.qualname} (it outlives the call)"]
    bindings = scope.bindings.get(candidate.name, [])
    if len(bindings) != 1:
        return [f"`{candidate.name}` is bound more than once in {fn.qualname}"]
    # A read in a lambda, a nested def or a generator runs later, on the same never-changed object.
    return [r for read in bindings[0].references for r in _use_reasons(index, read, candidate.node)]
