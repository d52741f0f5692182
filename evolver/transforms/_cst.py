"""The libcst side of a rewrite: the module parsed with libcst, and the libcst node that stands where
an ``ast`` node of the analysis stands (libcst's positions and ``ast``'s agree, parentheses left
out; ``ast`` counts columns in UTF-8 bytes, libcst in characters).

Built only when a site is rewritten: the analysis itself never pays for libcst.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any, TypeVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from evolver.analysis.index import ModuleIndex
from evolver.deep import deep
from evolver.transforms.base import TransformError

N = TypeVar("N", bound=cst.CSTNode)
Span = tuple[int, int, int, int]


class CstView:
    """The module as libcst sees it, with a lookup from ``ast`` nodes (cached on the index)."""

    @classmethod
    def of(cls, index: ModuleIndex) -> CstView:
        if "cst" not in index.cache:
            index.cache["cst"] = cls(index)
        return index.cache["cst"]

    @deep
    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        try:
            parsed = cst.parse_module(index.source)
        except cst.ParserSyntaxError as exc:  # Python's own grammar corners libcst lacks (test_grammar.py)
            raise TransformError(f"libcst cannot parse this module, so it cannot be rewritten losslessly "
                                 f"({str(exc).splitlines()[0]})") from exc
        wrapper = MetadataWrapper(parsed, unsafe_skip_copy=True)
        self.module: cst.Module = wrapper.module
        self.by_span: dict[Span, list[cst.CSTNode]] = {}
        for node, where in wrapper.resolve(PositionProvider).items():
            span = (where.start.line, where.start.column, where.end.line, where.end.column)
            self.by_span.setdefault(span, []).append(node)
        self._lines = index.source.splitlines(keepends=True)
        self._parents: dict[int, cst.CSTNode] | None = None

    def node(self, expr: ast.AST, kind: type[N]) -> N:
        """The libcst node of type ``kind`` that spans exactly what ``expr`` spans."""
        span = (expr.lineno, self._column(expr.lineno, expr.col_offset),  # type: ignore[attr-defined]
                expr.end_lineno, self._column(expr.end_lineno, expr.end_col_offset))  # type: ignore[attr-defined]
        found = [n for n in self.by_span.get(span, []) if isinstance(n, kind)]
        if not found:  # ast counts a tuple's parentheses in its span, libcst does not
            inside = [(s, n) for s, nodes in self.by_span.items() for n in nodes if isinstance(n, kind)
                      and (span[0], span[1]) <= (s[0], s[1]) and (s[2], s[3]) <= (span[2], span[3])]
            found = [n for _, n in sorted(inside, key=lambda pair: (pair[0][0], pair[0][1], -pair[0][2], -pair[0][3]))]
        if not found:
            raise TransformError(f"no {kind.__name__} at line {span[0]} column {span[1]} of the source")
        return found[0]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The node's parent in the view's tree (the table is built on first use)."""
        if self._parents is None:
            table: dict[int, cst.CSTNode] = {}
            stack: list[cst.CSTNode] = [self.module]
            while stack:
                current = stack.pop()
                for child in current.children:
                    table[id(child)] = current
                    stack.append(child)
            self._parents = table
        return self._parents.get(id(node))

    def line(self, small: cst.BaseSmallStatement) -> cst.SimpleStatementLine:
        """The line a small statement stands on."""
        found = self.parent(small)
        if not isinstance(found, cst.SimpleStatementLine):
            raise TransformError("a simple statement that shares a line with a compound one")
        return found

    def _column(self, line: int, byte_offset: int) -> int:
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

    def replace(self, replacements: dict[int, Any]) -> cst.Module:
        """The module with nodes replaced by identity (``id(original) -> new node or REMOVE``)."""
        return self.module.visit(NodeReplacer(replacements))

    def parse_expression(self, code: str) -> cst.BaseExpression:
        return cst.parse_expression(code, config=self.module.config_for_parsing)

    def parse_statement(self, code: str) -> cst.BaseStatement:
        return cst.parse_statement(code, config=self.module.config_for_parsing)


class NodeReplacer(cst.CSTTransformer):
    """Replace nodes by identity (the originals come from the view's tree)."""

    def __init__(self, replacements: dict[int, Any]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        return self.replacements.get(id(original_node), updated_node)


def add_import(tree: cst.Module, module: str) -> cst.Module:
    """``import module`` at the top, unless it is already there (libcst's AddImportsVisitor)."""
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, module)
    return AddImportsVisitor(context).transform_module(tree)


def insert_after_imports(tree: cst.Module, code: str) -> cst.Module:
    """The module with the statement ``code`` (a helper evolver writes) after its docstring,
    ``__future__`` imports and leading import block, two blank lines around it."""
    statement = cst.parse_statement(code.replace("\n", tree.default_newline), config=tree.config_for_parsing)
    body = list(tree.body)
    at = _after_imports(body)
    statement = statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()] if at else [])
    if at < len(body):
        body[at] = body[at].with_changes(leading_lines=_at_least_two_blank(body[at].leading_lines))
    return tree.with_changes(body=[*body[:at], statement, *body[at:]])

def _after_imports(body: Sequence[cst.BaseStatement]) -> int:
    at = 0
    if body and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1 and isinstance(
            body[0].body[0], cst.Expr) and isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        at = 1
    while at < len(body) and isinstance(body[at], cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in body[at].body):  # type: ignore[attr-defined]
        at += 1
    return at


def _at_least_two_blank(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    leading = 0
    for line in lines:
        if line.comment is not None:
            break
        leading += 1
    return [cst.EmptyLine()] * max(0, 2 - leading) + list(lines)
