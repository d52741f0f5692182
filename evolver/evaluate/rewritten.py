"""Which functions a candidate rewrites, found from the two sources alone (not from transform
internals), and what the call trace must follow because of them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from evolver.errors import EvolverError

GENERATED = "_evolver_"  # the prefix of the helpers transforms write (transforms.base.GENERATED)


@dataclass(frozen=True)
class Rewritten:
    """The functions (qualnames: "func", "Class.method") a candidate rewrites and what goes with them."""

    changed: tuple[str, ...]  # in both versions, with different code (decorators and rebinding included)
    callees: tuple[str, ...]  # unchanged module functions the changed ones name
    added: tuple[str, ...]  # only in the candidate (a helper the rewrite added)
    removed: tuple[str, ...]  # only in the parent
    exclude_globals: tuple[str, ...]  # module names bound by one version only: not compared


def rewritten(parent_source: str, candidate_source: str) -> Rewritten:
    parent, candidate = _parse(parent_source, "parent"), _parse(candidate_source, "candidate")
    before, after = _definitions(parent), _definitions(candidate)
    changed = sorted(n for n in before.keys() & after.keys() if before[n] != after[n])
    nodes = {**dict(_functions(parent)), **{f"+{n}": f for n, f in _functions(candidate)}}
    named: set[str] = set()
    for name in changed:
        for key in (name, f"+{name}"):
            if key in nodes:
                named |= _names_in(nodes[key])
    methods: dict[str, list[str]] = {}  # a function or method name -> its qualnames
    for qualname in before:
        methods.setdefault(qualname.rpartition(".")[2], [])
        methods[qualname.rpartition(".")[2]].append(qualname)
    callees = {q for word in named for q in methods.get(word, ()) if q.count(".") <= 1}
    callees |= {f"{word}.__init__" for word in named if f"{word}.__init__" in before}
    unchanged = {n for n in before.keys() & after.keys() if before[n] == after[n]}
    return Rewritten(
        changed=tuple(n for n in changed if not _generated(n)),
        callees=tuple(sorted(n for n in callees & unchanged if not _generated(n))),
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        exclude_globals=tuple(sorted(n for n in _bound(parent) ^ _bound(candidate))
                              + sorted(n for n in _bound(parent) | _bound(candidate) if _generated(n))),
    )


def _parse(source: str, which: str) -> ast.Module:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        raise EvolverError(f"the {which} source does not parse: {exc}") from None


def _generated(qualname: str) -> bool:
    return any(part.startswith(GENERATED) for part in qualname.split("."))


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import, into ``if``/``try``/``with`` blocks (not into defs and classes)."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.TryStar)):
            for field in ("body", "orelse", "finalbody"):
                yield from _module_statements(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                yield from _module_statements(handler.body)


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Module-level functions and methods of module-level classes (nested classes too)."""
    def walk(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield prefix + node.name, node
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, f"{prefix}{node.name}.")

    yield from walk(list(_module_statements(tree.body)), "")


def _definitions(tree: ast.Module) -> dict[str, list[str]]:
    """Each function's code (decorators included), with every later module-level statement that
    binds its name again (``f = cache(f)``), as comparable dumps."""
    found: dict[str, list[str]] = {}
    for name, node in _functions(tree):
        found.setdefault(name, []).append(ast.dump(node, include_attributes=False))
    for statement in _module_statements(tree.body):
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in _targets(statement):
                if target in found:
                    found[target].append(ast.dump(statement, include_attributes=False))
    return found


def _targets(node: ast.stmt) -> Iterator[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    for target in targets:
        for leaf in ast.walk(target) if target is not None else ():
            if isinstance(leaf, ast.Name):
                yield leaf.id


def _names_in(node: ast.AST) -> set[str]:
    """Every name and attribute name the function's code mentions (nested code included)."""
    found: set[str] = set()
    for leaf in ast.walk(node):
        if isinstance(leaf, ast.Name):
            found.add(leaf.id)
        elif isinstance(leaf, ast.Attribute):
            found.add(leaf.attr)
    return found


def _bound(tree: ast.Module) -> set[str]:
    """Names the module binds: at import, or through ``global`` statements in its functions."""
    found: set[str] = set()
    for node in _module_statements(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).partition(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            found |= set(_targets(node))
        elif isinstance(node, (ast.For, ast.With)):
            for target in ([node.target] if isinstance(node, ast.For) else [i.optional_vars for i in node.items]):
                found |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)} if target is not None else set()
    for leaf in ast.walk(tree):
        if isinstance(leaf, ast.Global):
            found |= set(leaf.names)
    return found
