"""Proofs over one module, each a list of reasons: an empty list means proven.

* purity: a module function reads only its arguments, locals and immutable module constants and
  calls only pure builtins, pure standard-library functions and other pure module functions
  (a greatest fixpoint, so self- and mutual recursion are fine). Its locals then only ever hold
  immutable values or objects created during the call, so methods on them are invisible outside.
* independence: a function (or method) writes nothing a caller or a concurrent call could see.
* evidence: it, or a module function it calls, blocks on I/O, or can raise a transient failure.

Unknown means refuse: a call that is not known to be harmless is a reason.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence

import libcst as cst
from libcst.metadata import Assignment, BaseAssignment

from evolver.analysis.static import (
    NETWORK_PREFIXES,
    FunctionInfo,
    ModuleIndex,
    blocking_call,
    chain_root,
    walk,
)

RETRY_HELPER = "_evolver_retry"

PURE_BUILTINS = frozenset(["abs", "all", "any", "ascii", "bin", "bool", "bytes", "callable", "chr", "complex", "dict", "divmod", "enumerate", "filter", "float", "format", "frozenset", "hash", "hex", "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next", "oct", "ord", "pow", "range", "repr", "reversed", "round", "set", "slice", "sorted", "str", "sum", "tuple", "zip", "bytearray", "True", "False", "None", "Ellipsis", "NotImplemented", "__name__", "__file__", "__doc__", "__package__", "__spec__"])
EXCEPTIONS = frozenset(n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException))
PURE_PREFIXES = (
    "math.", "cmath.", "operator.", "itertools.", "string.", "re.", "unicodedata.", "hashlib.",
    "heapq.", "bisect.", "ast.", "textwrap.", "base64.", "binascii.", "struct.", "collections.",
    "fractions.", "keyword.", "difflib.", "html.", "shlex.", "urllib.parse.", "colorsys.", "typing.",
    "zlib.", "numbers.",
)
PURE_CALLS = frozenset({
    "functools.reduce", "functools.partial", "functools.cmp_to_key", "json.dumps", "json.loads",
    "copy.copy", "copy.deepcopy", "fnmatch.fnmatch", "fnmatch.fnmatchcase", "fnmatch.filter",
    "fnmatch.translate", "os.path.join", "os.path.basename", "os.path.dirname", "os.path.splitext",
    "os.path.split", "os.path.normpath", "os.path.normcase", "os.path.isabs", "os.path.commonprefix",
    "statistics.mean", "statistics.fmean", "statistics.median", "statistics.median_low",
    "statistics.median_high", "statistics.mode", "statistics.multimode", "statistics.pstdev",
    "statistics.pvariance", "statistics.stdev", "statistics.variance", "statistics.quantiles",
})
CACHE_DECORATORS = frozenset({"functools.lru_cache", "functools.cache"})
HARMLESS_DECORATORS = CACHE_DECORATORS | {"builtins.staticmethod", "builtins.classmethod", "builtins.property",
                                          "abc.abstractmethod", "typing.overload", "typing.final"}
KNOWN_IMPURE = (
    "time.", "datetime.", "random.", "secrets.", "uuid.", "os.", "sys.", "socket.", "urllib.",
    "requests.", "subprocess.", "logging.", "http.", "shutil.", "pathlib.", "io.", "tempfile.",
    "threading.", "multiprocessing.", "asyncio.", "builtins.", "signal.", "glob.", "json.", "pickle.",
)
BUILTIN_REASONS = {
    "builtins.print": "prints (builtins.print is a side effect)",
    "builtins.input": "reads standard input (builtins.input)",
    "builtins.open": "opens a file (builtins.open)",
}

# Independence: calls that only read or wait, and objects they create fresh.
READ_CALLS = frozenset({
    "time.sleep", "time.time", "time.monotonic", "time.perf_counter", "time.time_ns",
    "time.monotonic_ns", "time.perf_counter_ns", "os.path.exists", "os.path.isfile", "os.path.isdir",
    "os.path.islink", "os.path.getsize", "os.path.getmtime", "os.path.lexists", "os.path.realpath",
    "os.path.abspath", "os.listdir", "os.scandir", "os.stat", "os.lstat", "os.walk", "os.getcwd",
    "os.getenv", "os.fspath", "os.environ", "os.environ.get", "os.sep", "glob.glob", "glob.iglob",
    "json.load", "pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath",
    "urllib.request.urlopen", "urllib.request.Request", "concurrent.futures.ThreadPoolExecutor",
    "builtins.getattr", "builtins.hasattr", "builtins.type", "builtins.id", "builtins.vars",
})
SAFE_HTTP = frozenset({"get", "head", "options", "request", "session", "Session", "Client", "Request"})
SAFE_VERBS = frozenset({"GET", "HEAD", "OPTIONS"})
FRESH_BUILTINS = frozenset({
    "builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray", "builtins.sorted",
    "builtins.enumerate", "builtins.zip", "builtins.map", "builtins.filter", "builtins.iter",
    "builtins.reversed", "builtins.range", "builtins.open", "io.open", "json.load", "json.loads",
    "copy.copy", "copy.deepcopy",
})
FRESH_PREFIXES = ("collections.", "re.", "hashlib.", "itertools.", "socket.", "ssl.", "http.client.",
                  "urllib.request.", "requests.", "httpx.", "pathlib.", "concurrent.futures.")
FRESH_METHODS = frozenset({"read", "readlines", "json", "split", "rsplit", "splitlines", "copy",
                           "getresponse", "read_text", "read_bytes", "decode", "encode", "makefile",
                           "match", "search", "fullmatch", "findall", "finditer", "sub", "subn"})
MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "add", "discard",
    "sort", "reverse", "setdefault", "write", "writelines", "send", "sendall", "put", "put_nowait",
    "acquire", "release", "set", "submit", "close", "flush", "truncate", "seek", "__setitem__",
    "__delitem__", "appendleft", "extendleft", "popleft", "rotate",
})
FS_WRITE_METHODS = frozenset({"write_text", "write_bytes", "unlink", "mkdir", "rmdir", "rename",
                              "touch", "chmod", "symlink_to", "hardlink_to", "link_to"})
READ_METHODS = frozenset({
    "get", "keys", "values", "items", "copy", "count", "index", "startswith", "endswith", "split",
    "rsplit", "splitlines", "strip", "lstrip", "rstrip", "lower", "upper", "join", "format", "encode",
    "decode", "find", "rfind", "exists", "is_file", "is_dir", "stat", "read_text", "read_bytes",
    "open", "resolve", "joinpath", "with_suffix", "with_name", "relative_to", "as_posix", "iterdir",
    "glob", "rglob", "is_absolute", "head", "options", "json", "raise_for_status", "hexdigest",
    "group", "groups", "groupdict", "span", "start", "end",
})

# Immutable values: annotations, and results whose type is immutable.
IMMUTABLE_TYPES = frozenset({"builtins.int", "builtins.float", "builtins.complex", "builtins.bool",
                             "builtins.str", "builtins.bytes", "builtins.None"})
CONTAINER_TYPES = frozenset({"builtins.tuple", "typing.Tuple", "builtins.frozenset", "typing.FrozenSet"})
UNION_TYPES = frozenset({"typing.Optional", "typing.Union"})
LITERAL_TYPES = frozenset({"typing.Literal", "typing_extensions.Literal"})
IMMUTABLE_RESULT_BUILTINS = frozenset({
    "int", "float", "complex", "bool", "str", "bytes", "repr", "ascii", "len", "hash", "ord", "chr",
    "hex", "oct", "bin", "format", "isinstance", "issubclass", "callable", "all", "any",
})
ELEMENTWISE_BUILTINS = frozenset({"abs", "round", "divmod", "pow", "sum", "min", "max", "tuple", "frozenset"})
IMMUTABLE_RESULT_CALLS = (
    "math.", "cmath.", "unicodedata.", "binascii.", "base64.", "keyword.", "colorsys.", "statistics.",
    "os.path.", "zlib.crc32", "zlib.adler32", "zlib.compress", "zlib.decompress", "re.escape", "re.sub",
    "json.dumps", "string.capwords", "textwrap.dedent", "textwrap.indent", "textwrap.fill",
    "textwrap.shorten", "html.escape", "html.unescape", "shlex.quote", "shlex.join", "struct.",
    "fnmatch.fnmatch", "fnmatch.translate", "urllib.parse.quote", "urllib.parse.unquote",
)
IMMUTABLE_RESULT_METHODS = frozenset({
    "join", "upper", "lower", "strip", "lstrip", "rstrip", "replace", "format", "startswith",
    "endswith", "count", "find", "rfind", "index", "rindex", "isdigit", "isalpha", "isalnum",
    "isspace", "isupper", "islower", "isidentifier", "title", "capitalize", "casefold", "center",
    "ljust", "rjust", "zfill", "encode", "decode", "partition", "rpartition", "removeprefix",
    "removesuffix", "swapcase", "expandtabs", "translate", "hex", "bit_length", "is_integer",
    "as_integer_ratio", "conjugate", "hexdigest", "digest", "group", "groups", "start", "end", "span",
})
LIST_OF_STR_METHODS = frozenset({"split", "rsplit", "splitlines"})


NOT_PURE = frozenset({"re.DEBUG", "re.purge", "hashlib.file_digest", "ast.NodeVisitor", "ast.NodeTransformer"})
THREAD_LOCAL = frozenset({"threading.local", "contextvars.ContextVar", "decimal.getcontext", "decimal.localcontext"})


def pure_name(name: str) -> bool:
    """A standard-library function or constant with no effect and no hidden input."""
    if name in NOT_PURE:
        return False
    return name in PURE_CALLS or (name.startswith(PURE_PREFIXES) and not name.endswith("."))


def _unique(reasons: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(reasons))


def _called(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    return index.is_called(expr)


# --- module constants ----------------------------------------------------------------------


def bound_value(index: ModuleIndex, assignment: BaseAssignment) -> cst.BaseExpression | None:
    """The value of ``NAME = value`` / ``NAME: T = value`` / ``(NAME := value)`` for a plain name."""
    node = getattr(assignment, "node", None)
    parent = index.parent(node) if isinstance(node, cst.Name) else None
    if isinstance(parent, cst.AssignTarget):
        statement = index.parent(parent)
        return statement.value if isinstance(statement, cst.Assign) else None
    if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.target is node:
        return parent.value
    return None


def constant_reason(index: ModuleIndex, name: str, seen: frozenset[str] = frozenset()) -> str | None:
    """Why reading the module global ``name`` is not reading an immutable constant (None: it is)."""
    if not index.bound_once(name):
        return f"reads module global {name} (rebound in the module)"
    value = bound_value(index, index.global_assignments(name)[0])
    if value is None:
        return f"reads module global {name} (not bound by a plain assignment)"
    if is_constant(index, value, seen | {name}):
        return None
    return f"reads module global {name} (bound to {_describe(index, value)})"


def _describe(index: ModuleIndex, value: cst.BaseExpression) -> str:
    kinds = {cst.List: "a mutable list", cst.ListComp: "a mutable list", cst.Dict: "a mutable dict",
             cst.DictComp: "a mutable dict", cst.Set: "a mutable set", cst.SetComp: "a mutable set"}
    if type(value) in kinds:
        return kinds[type(value)]
    if isinstance(value, cst.Call):
        return f"the result of {index.code(value.func)}(...)"
    return "a value not proven immutable"


def is_constant(index: ModuleIndex, expr: cst.BaseExpression, seen: frozenset[str] = frozenset()) -> bool:
    """An expression built only from literals, immutable module constants and immutable builtins."""
    def each(items: Iterable[cst.BaseExpression]) -> bool:
        return all(is_constant(index, item, seen) for item in items)

    if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(expr, cst.FormattedString):
        return each(p.expression for p in expr.parts if isinstance(p, cst.FormattedStringExpression))
    if isinstance(expr, cst.Name):
        return _constant_name(index, expr, seen)
    if isinstance(expr, cst.UnaryOperation):
        return is_constant(index, expr.expression, seen)
    if isinstance(expr, (cst.BinaryOperation, cst.BooleanOperation)):
        return is_constant(index, expr.left, seen) and is_constant(index, expr.right, seen)
    if isinstance(expr, cst.Comparison):
        return is_constant(index, expr.left, seen) and each(c.comparator for c in expr.comparisons)
    if isinstance(expr, cst.Tuple):
        return all(isinstance(e, cst.Element) for e in expr.elements) and each(e.value for e in expr.elements)
    if isinstance(expr, cst.Attribute):
        name = index.qualified_name(expr)
        return name is not None and pure_name(name) and not _called(index, expr)
    if isinstance(expr, cst.Call):
        return _constant_call(index, expr, seen)
    if isinstance(expr, cst.Subscript):
        return is_constant(index, expr.value, seen) and all(_constant_slice(index, e.slice, seen) for e in expr.slice)
    return False


def _constant_slice(index: ModuleIndex, part: cst.BaseSlice, seen: frozenset[str]) -> bool:
    if isinstance(part, cst.Index):
        return part.star is None and is_constant(index, part.value, seen)
    bounds = [b for b in (part.lower, part.upper, part.step) if b is not None]  # type: ignore[attr-defined]
    return all(is_constant(index, b, seen) for b in bounds)


def _constant_name(index: ModuleIndex, expr: cst.Name, seen: frozenset[str]) -> bool:
    if expr.value in ("True", "False", "None"):
        return True
    if index.binding(expr) != "global" or expr.value in seen:
        return False
    return constant_reason(index, expr.value, seen) is None


def _constant_call(index: ModuleIndex, call: cst.Call, seen: frozenset[str]) -> bool:
    name = index.qualified_name(call.func)
    makers = {"builtins.frozenset", "builtins.tuple", "builtins.int", "builtins.float", "builtins.str",
              "builtins.bytes", "builtins.complex", "builtins.bool", "re.compile"}
    if name not in makers or any(a.star or a.keyword is not None for a in call.args):
        return False
    values = [a.value for a in call.args]
    displays = [v for v in values if isinstance(v, (cst.List, cst.Set))]  # consumed by the call
    items = [e for d in displays for e in d.elements]
    return (all(isinstance(e, cst.Element) for e in items)
            and all(is_constant(index, v, seen) for v in values if v not in displays)
            and all(is_constant(index, e.value, seen) for e in items))


# --- annotations ---------------------------------------------------------------------------


def immutable_annotation(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    """int, float, complex, bool, str, bytes, None, and tuple/frozenset/Optional/Union/Literal of those."""
    if isinstance(expr, cst.Name) and expr.value == "None":
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        return immutable_annotation(index, expr.left) and immutable_annotation(index, expr.right)
    if isinstance(expr, cst.Subscript):
        return _immutable_generic(index, expr)
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value
        return isinstance(text, str) and index.quoted_name(text.strip()) in IMMUTABLE_TYPES
    return index.qualified_name(expr) in IMMUTABLE_TYPES


def _immutable_generic(index: ModuleIndex, expr: cst.Subscript) -> bool:
    base = index.qualified_name(expr.value)
    items = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
    if len(items) != len(expr.slice) or base is None:
        return False
    if base in LITERAL_TYPES:
        return all(isinstance(i, (cst.Integer, cst.SimpleString, cst.Name, cst.UnaryOperation)) for i in items) \
            and all(not isinstance(i, cst.Name) or i.value in ("True", "False", "None") for i in items)
    if base in CONTAINER_TYPES or base in UNION_TYPES:
        ellipsis_ok = base in ("builtins.tuple", "typing.Tuple")
        return all((ellipsis_ok and isinstance(i, cst.Ellipsis)) or immutable_annotation(index, i) for i in items)
    return False


def annotation_names(index: ModuleIndex, expr: cst.BaseExpression) -> set[str]:
    """The qualified names an annotation mentions (for notes on float keys and nested numbers)."""
    found = set()
    for node in walk(expr):
        if isinstance(node, (cst.Name, cst.Attribute)):
            name = index.qualified_name(node)
            if name is not None:
                found.add(name)
    return found


# --- memoize: shape, parameters, return value ----------------------------------------------


def shape_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """A module-level, synchronous, undecorated, non-generator def bound exactly once."""
    reasons = []
    if fn.cls is not None:
        reasons.append("is a method")
    elif fn.nested:
        reasons.append("is a nested function")
    elif not fn.top_level:
        reasons.append("is defined conditionally (not a top-level statement)")
    if fn.is_async:
        reasons.append("is async")
    if index.scan(fn).yields:
        reasons.append("is a generator")
    if fn.node.decorators:
        reasons.append("has decorators")
    if fn.cls is None and not fn.nested and not index.bound_once(fn.name):
        reasons.append("rebound elsewhere in the module")
    return reasons + declaration_reasons(index, fn)


def declaration_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    reasons = []
    for node in index.scan(fn).declarations:
        keyword = "global" if isinstance(node, cst.Global) else "nonlocal"
        reasons.append(f"declares {keyword} {', '.join(n.name.value for n in node.names)}")
    return reasons


def all_params(fn: FunctionInfo) -> list[cst.Param]:
    params = fn.node.params
    stars = [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return [*params.posonly_params, *params.params, *params.kwonly_params, *stars]


def parameter_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Every parameter annotated with an immutable hashable type, every default a constant."""
    reasons = []
    for param in all_params(fn):
        name = param.name.value
        if param.annotation is None or not immutable_annotation(index, param.annotation.annotation):
            reasons.append(f"parameter `{name}` has no immutable hashable annotation")
    return reasons + default_reasons(index, fn)


def default_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    return [f"default value of `{p.name.value}` is not an immutable constant"
            for p in all_params(fn) if p.default is not None and not is_constant(index, p.default)]


def return_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The return annotation is immutable, or else every returned expression provably is."""
    if fn.node.returns is not None:
        annotation = fn.node.returns.annotation
        if immutable_annotation(index, annotation):
            return []
        return [f"returns {index.code(annotation)} (not an immutable type)"]
    reasons = []
    for node in index.own_nodes(fn.node, lambdas=False):
        if isinstance(node, cst.Return) and node.value is not None \
                and not Immutability(index, fn).value(node.value):
            reasons.append(f"return value `{index.code(node.value)}` is not provably immutable")
    return reasons


def mutated_parameter_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Stores into, or mutating method calls on, the function's own parameters."""
    reasons = []
    scan = index.scan(fn)
    roots = [chain_root(t) for t in scan.stores]
    roots += [chain_root(c.func.value) for c in scan.calls
              if isinstance(c.func, cst.Attribute) and c.func.attr.value in MUTATING_METHODS]
    for root in roots:
        if isinstance(root, cst.Name) and _own_param(index, fn, root):
            reasons.append(f"mutates parameter `{root.value}`")
    return _unique(reasons)


def _own_param(index: ModuleIndex, fn: FunctionInfo, name: cst.Name) -> bool:
    params = {id(p) for p in all_params(fn)}
    return any(id(getattr(a, "node", None)) in params for a in index.assignments(name))


class Immutability:
    """Whether expressions of one pure function provably evaluate to deeply immutable values."""

    def __init__(self, index: ModuleIndex, fn: FunctionInfo, seen: set[int] | None = None) -> None:
        self.index = index
        self.fn = fn
        self.seen: set[int] = seen if seen is not None else set()

    def value(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString,
                             cst.ConcatenatedString, cst.FormattedString)):
            return True
        if isinstance(expr, cst.Name):
            return self._name(expr)
        if isinstance(expr, cst.Tuple):
            return all(isinstance(e, cst.Element) and self.value(e.value) for e in expr.elements)
        if isinstance(expr, cst.UnaryOperation):
            return isinstance(expr.operator, cst.Not) or self.value(expr.expression)
        if isinstance(expr, (cst.BinaryOperation, cst.BooleanOperation)):
            return self.value(expr.left) and self.value(expr.right)
        if isinstance(expr, cst.Comparison):
            return self.value(expr.left) and all(self.value(c.comparator) for c in expr.comparisons)
        if isinstance(expr, cst.IfExp):
            return self.value(expr.body) and self.value(expr.orelse)
        if isinstance(expr, cst.Subscript):
            return self.value(expr.value)
        if isinstance(expr, cst.Attribute):
            return is_constant(self.index, expr)
        if isinstance(expr, cst.Call):
            return self._call(expr)
        return False

    def elements(self, expr: cst.BaseExpression) -> bool:
        """Iterating ``expr`` yields immutable values."""
        if self.value(expr):
            return True
        if isinstance(expr, (cst.List, cst.Set)):
            return all(isinstance(e, cst.Element) and self.value(e.value) for e in expr.elements)
        if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return self.value(expr.elt)
        if not isinstance(expr, cst.Call):
            return False
        name = self.index.qualified_name(expr.func) or ""
        if name == "builtins.range" or name in ("re.findall", "re.split"):
            return True
        if name in ("builtins.enumerate", "builtins.zip", "builtins.reversed", "builtins.sorted",
                    "builtins.filter", "builtins.iter", "builtins.list", "builtins.set"):
            return all(self.elements(a.value) for a in expr.args if a.keyword is None)
        return isinstance(expr.func, cst.Attribute) and expr.func.attr.value in LIST_OF_STR_METHODS

    def _name(self, name: cst.Name) -> bool:
        if name.value in ("True", "False", "None"):
            return True
        binding = self.index.binding(name)
        if binding == "global":
            return constant_reason(self.index, name.value) is None
        if binding == "param":
            param = _param_of(self.index, name)
            return param is not None and param.annotation is not None and param.star == "" \
                and immutable_annotation(self.index, param.annotation.annotation)
        if binding != "local":
            return False
        return all(self._assignment(a) for a in self.index.assignments(name))

    def _assignment(self, assignment: BaseAssignment) -> bool:
        node = getattr(assignment, "node", None)
        if not isinstance(node, cst.Name):
            return False
        if id(node) in self.seen:  # co-inductive: a cycle through assignments adds nothing new
            return True
        self.seen.add(id(node))
        parent = self.index.parent(node)
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node:
            return self.elements(parent.iter)
        if isinstance(parent, cst.AugAssign):
            return self.value(parent.value)
        value = bound_value(self.index, assignment)
        return value is not None and self.value(value)

    def _call(self, call: cst.Call) -> bool:
        args = [a.value for a in call.args]
        if any(a.star for a in call.args):
            return False
        name = self.index.qualified_name(call.func)
        if name is not None and name.startswith("builtins."):
            short = name.removeprefix("builtins.")
            if short in IMMUTABLE_RESULT_BUILTINS:
                return True
            return short in ELEMENTWISE_BUILTINS and all(self.elements(a) for a in args)
        if name is not None:
            return name.startswith(IMMUTABLE_RESULT_CALLS)
        if isinstance(call.func, cst.Attribute):
            return call.func.attr.value in IMMUTABLE_RESULT_METHODS
        if isinstance(call.func, cst.Name) and self.index.binding(call.func) == "global":
            callee = self.index.module_function(call.func.value)
            return callee is not None and self._returns(callee)
        return False

    def _returns(self, callee: FunctionInfo) -> bool:
        if id(callee.node) in self.seen:
            return True
        self.seen.add(id(callee.node))
        if callee.node.returns is not None:
            return immutable_annotation(self.index, callee.node.returns.annotation)
        inner = Immutability(self.index, callee, self.seen)
        return all(n.value is None or inner.value(n.value) for n in self.index.own_nodes(callee.node, lambdas=False)
                   if isinstance(n, cst.Return))


def _param_of(index: ModuleIndex, name: cst.Name) -> cst.Param | None:
    for assignment in index.assignments(name):
        node = getattr(assignment, "node", None)
        if isinstance(node, cst.Param):
            return node
    return None


# --- purity (greatest fixpoint over module functions) ---------------------------------------


def purity_reasons(index: ModuleIndex, qualname: str) -> list[str]:
    """Why a module-level function is not proven pure (empty: it is)."""
    table = _fixpoint(index, "purity", _purity_local, lambda fn: fn.cls is None and not fn.nested)
    return table.get(qualname, ["is not a module-level function"])


def _purity_local(index: ModuleIndex, fn: FunctionInfo) -> tuple[list[str], set[str]]:
    reasons = declaration_reasons(index, fn) + default_reasons(index, fn) + _decorator_reasons(index, fn)
    if fn.is_async or index.scan(fn).awaits:
        reasons.append("is async")
    callees: set[str] = set()
    for name, binding in index.scan(fn).accesses:
        reason = _pure_access(index, name, binding, callees)
        if reason is not None:
            reasons.append(reason)
    return reasons, callees


def _decorator_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    reasons = []
    for decorator in fn.node.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if index.qualified_name(expr) not in HARMLESS_DECORATORS:
            reasons.append(f"is decorated with @{index.code(decorator.decorator)} (unknown effect)")
    return reasons


def _pure_access(index: ModuleIndex, name: cst.Name, binding: str, callees: set[str]) -> str | None:
    if binding in ("local", "param"):
        return None
    if binding == "builtin":
        if name.value in PURE_BUILTINS or name.value in EXCEPTIONS:
            return None
        return _impure_reason(f"builtins.{name.value}", _called(index, name))
    if binding == "import":
        top = index.chain_top(name)
        qualified = index.qualified_name(top)
        if qualified is None:
            return f"uses {index.code(top)} (an ambiguous import)"
        return None if pure_name(qualified) else _impure_reason(qualified, _called(index, top))
    if binding == "global":
        return _pure_global(index, name, callees)
    return "uses names from `from ... import *`" if index.star_import else f"reads undefined name {name.value}"


def _pure_global(index: ModuleIndex, name: cst.Name, callees: set[str]) -> str | None:
    callee = index.module_function(name.value)
    if callee is not None:
        callees.add(callee.qualname)
        return None
    if index.module_class(name.value) is not None:
        if _isinstance_argument(index, name) or plain_exception(index, name.value):
            return None
        return f"uses class {name.value} of the module (not analyzed)"
    return constant_reason(index, name.value)


def plain_exception(index: ModuleIndex, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """A module exception class with no methods, deriving from builtin exceptions (perhaps through
    other such classes): creating and raising one does nothing else."""
    cls = index.module_class(name)
    if cls is None or name in seen or any(isinstance(s, cst.FunctionDef) for s in index.walk(cls.body)):
        return False
    bases = [b.value for b in cls.bases if b.keyword is None]
    if not bases or any(b.keyword is not None for b in cls.bases):
        return False
    for base in bases:
        known = index.qualified_name(base)
        if known is not None and known.removeprefix("builtins.") in EXCEPTIONS:
            continue
        if not (isinstance(base, cst.Name) and plain_exception(index, base.value, seen | {name})):
            return False
    return True


def _isinstance_argument(index: ModuleIndex, name: cst.Name) -> bool:
    """``isinstance(x, C)`` / ``issubclass(x, (C, D))``: the class is only compared against."""
    node: cst.CSTNode | None = index.parent(name)
    while isinstance(node, (cst.Element, cst.Tuple)):
        node = index.parent(node)
    if not isinstance(node, cst.Arg):
        return False
    call = index.parent(node)
    return (isinstance(call, cst.Call) and len(call.args) == 2 and call.args[1] is node
            and index.qualified_name(call.func) in ("builtins.isinstance", "builtins.issubclass"))


def _impure_reason(name: str, called: bool) -> str:
    if name in BUILTIN_REASONS:
        return BUILTIN_REASONS[name]
    verb = "calls" if called else "reads"
    if name.startswith(KNOWN_IMPURE):
        return f"{verb} {name}"
    return f"{verb} unknown {'function' if called else 'name'} {name}"


def _fixpoint(
    index: ModuleIndex,
    kind: str,
    local: Callable[[ModuleIndex, FunctionInfo], tuple[list[str], set[str]]],
    include: Callable[[FunctionInfo], bool],
) -> dict[str, list[str]]:
    """Greatest fixpoint: a function is proven when it has no reason of its own and every module
    function it uses is proven (so recursion through proven functions stays proven)."""
    if kind in index.cache:
        return index.cache[kind]
    found = {fn.qualname: local(index, fn) for fn in index.functions if include(fn)}
    proven = {q for q, (reasons, _) in found.items() if not reasons}
    changed = True
    while changed:
        changed = False
        for q in sorted(proven):
            if any(c not in proven for c in found[q][1]):
                proven.discard(q)
                changed = True
    table = {}
    for q, (reasons, callees) in found.items():
        failed = [f"calls {c}, which is not proven {'pure' if kind == 'purity' else 'independent'}"
                  f" ({_first_reason(found, c)})" for c in sorted(callees) if c not in proven]
        table[q] = _unique(reasons + failed)
    index.cache[kind] = table
    return table


def _first_reason(found: dict[str, tuple[list[str], set[str]]], qualname: str) -> str:
    reasons = found.get(qualname, (["not analyzed"], set()))[0]
    return reasons[0] if reasons else "it uses functions that are not proven"


# --- independence ----------------------------------------------------------------------------


def independence_reasons(index: ModuleIndex, qualname: str) -> list[str]:
    """Why a function is not proven to write nothing shared (empty: proven)."""
    table = _fixpoint(index, "independence", _independence_local, lambda fn: True)
    return table.get(qualname, ["is not a function of the module"])


def _independence_local(index: ModuleIndex, fn: FunctionInfo) -> tuple[list[str], set[str]]:
    scan = index.scan(fn)
    reasons = declaration_reasons(index, fn) + default_reasons(index, fn) + _decorator_reasons(index, fn)
    callees = {c.qualname for c in callees_of(index, fn)}
    reasons += [r for t in scan.stores if (r := _store_reason(index, fn, t)) is not None]
    for func, args in effective_calls(index, fn):
        if resolve_callee(index, fn, func) is None:
            reason = _call_reason(index, fn, func, args)
            if reason is not None:
                reasons.append(reason)
    for name, binding in scan.accesses:
        reason = _value_reason(index, fn, name, binding)
        if reason is not None:
            reasons.append(reason)
    return _unique(reasons), callees


def effective_calls(index: ModuleIndex, fn: FunctionInfo) -> list[tuple[cst.BaseExpression, Sequence[cst.Arg]]]:
    """(callee expression, arguments) of every call; ``_evolver_retry(f, a)`` counts as ``f(a)``."""
    found = []
    for call in index.scan(fn).calls:
        if is_retry_call(index, call) and call.args:
            found.append((call.args[0].value, call.args[1:]))
        else:
            found.append((call.func, call.args))
    return found


def is_retry_call(index: ModuleIndex, call: cst.Call) -> bool:
    func = call.func
    return isinstance(func, cst.Name) and func.value == RETRY_HELPER and index.binding(func) == "global"


def callees_of(index: ModuleIndex, fn: FunctionInfo) -> list[FunctionInfo]:
    """Module functions and methods the function calls or passes along (the retry helper skipped)."""
    key = ("callees", fn.qualname)
    if key not in index.cache:
        index.cache[key] = _callees(index, fn)
    return index.cache[key]


def _callees(index: ModuleIndex, fn: FunctionInfo) -> list[FunctionInfo]:
    found = {}
    for name, binding in index.scan(fn).accesses:
        if binding == "global" and name.value != RETRY_HELPER:
            callee = index.module_function(name.value)
            if callee is not None:
                found[callee.qualname] = callee
        top = index.parent(name)
        if binding in ("param", "local") and isinstance(top, cst.Attribute) and top.value is name:
            method = resolve_callee(index, fn, top)  # a bound method passed along runs somewhere too
            if method is not None:
                found[method.qualname] = method
    for func, _ in effective_calls(index, fn):
        callee = resolve_callee(index, fn, func)
        if callee is not None:
            found[callee.qualname] = callee
    return list(found.values())


def resolve_callee(index: ModuleIndex, fn: FunctionInfo, func: cst.BaseExpression) -> FunctionInfo | None:
    """The module function (``f``) or method (``obj.m`` with a known class) an expression names."""
    if isinstance(func, cst.Name):
        if index.binding(func) == "global" and func.value != RETRY_HELPER:
            return index.module_function(func.value)
        return None
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        cls = receiver_class(index, func.value)
        return index.method(cls, func.attr.value) if cls is not None else None
    return None


def receiver_class(index: ModuleIndex, name: cst.Name) -> cst.ClassDef | None:
    """The module class of a receiver: ``self``/``cls`` of a method, a parameter annotated with the
    class, or a local assigned only ``Class(...)``."""
    assignments = index.assignments(name)
    params = [a.node for a in assignments if isinstance(getattr(a, "node", None), cst.Param)]
    if params:
        return _param_class(index, params[0]) if len(assignments) == 1 else None
    classes = set()
    for assignment in assignments:
        value = bound_value(index, assignment)
        if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Name)):
            return None
        classes.add(value.func.value)
    if len(classes) != 1:
        return None
    return index.module_class(classes.pop())


def _param_class(index: ModuleIndex, param: cst.Param) -> cst.ClassDef | None:
    if param.annotation is not None:
        annotation = param.annotation.annotation
        if isinstance(annotation, cst.SimpleString):
            return index.module_class(annotation.evaluated_value) if isinstance(annotation.evaluated_value, str) else None
        if isinstance(annotation, cst.Name) and index.binding(annotation) == "global":
            return index.module_class(annotation.value)
        return None
    owner = index.parent(index.parent(param))
    if not isinstance(owner, cst.FunctionDef):
        return None
    info = index.info(owner)
    positional = [*owner.params.posonly_params, *owner.params.params]
    static = any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in owner.decorators)
    return info.cls if info.cls is not None and positional and positional[0] is param and not static else None


def _store_reason(index: ModuleIndex, fn: FunctionInfo, target: cst.BaseExpression) -> str | None:
    obj = target.value if isinstance(target, (cst.Attribute, cst.Subscript)) else target
    if isinstance(obj, cst.Name) and index.binding(obj) == "local" and Ownership(index).owned(obj):
        return None
    root = chain_root(obj)
    binding = index.binding(root) if isinstance(root, cst.Name) else "expression"
    where = {"param": " (reachable from a parameter)", "global": " (a module global)",
             "import": " (a module)"}.get(binding, " (not a fresh local object)")
    return f"stores into {index.code(target)}{where}"


def _call_reason(index: ModuleIndex, fn: FunctionInfo, func: cst.BaseExpression,
                 args: Sequence[cst.Arg]) -> str | None:
    name = index.qualified_name(func)
    if name is not None:
        return io_call_reason(name, args)
    if isinstance(func, cst.Name):
        binding = index.binding(func)
        if binding == "local" and _local_def(index, func):
            return None
        if binding == "global" and index.module_class(func.value) is not None:
            if plain_exception(index, func.value):
                return None
            return f"constructs {func.value} (a class of the module, not analyzed)"
        return f"calls {binding} {func.value} (unknown function)"
    if isinstance(func, cst.Attribute):
        return _method_reason(index, fn, func, args)
    return f"calls {index.code(func)} (unknown function)"


def _local_def(index: ModuleIndex, name: cst.Name) -> bool:
    for assignment in index.assignments(name):
        node = getattr(assignment, "node", None)
        if not isinstance(node, cst.FunctionDef) and not isinstance(bound_value(index, assignment), cst.Lambda):
            return False
    return True


def _method_reason(index: ModuleIndex, fn: FunctionInfo, func: cst.Attribute,
                   args: Sequence[cst.Arg]) -> str | None:
    method = func.attr.value
    shown = index.code(func)
    if method in FS_WRITE_METHODS or (method == "replace" and len(args) == 1):
        return f"writes files ({shown})"
    if method == "open":
        return _open_reason(args, 0)
    if method in ("post", "put", "patch", "delete"):
        return f"sends a state-changing request ({shown})"
    if method == "request":
        return _verb_reason(args, shown)
    if Ownership(index).owned(func.value) or _immutable_param(index, func.value) or _constant(index, func.value):
        return None
    if method in MUTATING_METHODS:
        return f"calls {shown} (mutates a shared object)"
    if method in READ_METHODS:
        return None
    return f"calls unknown method {shown}"


def _constant(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    """A module constant: every method of an immutable value is harmless."""
    return (isinstance(expr, cst.Name) and index.binding(expr) == "global"
            and constant_reason(index, expr.value) is None)


def _immutable_param(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    if not isinstance(expr, cst.Name) or index.binding(expr) != "param":
        return False
    param = _param_of(index, expr)
    return param is not None and param.annotation is not None and immutable_annotation(index, param.annotation.annotation)


def io_call_reason(name: str, args: Sequence[cst.Arg]) -> str | None:
    """Why a call to a library function may write something shared (None: it only reads or waits)."""
    if name in ("builtins.open", "io.open"):
        return _open_reason(args, 1)
    if name in ("urllib.request.urlopen", "urllib.request.Request"):
        has_data = len([a for a in args if a.keyword is None]) > 1 or any(
            a.keyword is not None and a.keyword.value in ("data", "method") for a in args)
        return f"sends data ({name})" if has_data else None
    if name.startswith(("requests.", "httpx.")):
        verb = name.rsplit(".", 1)[1]
        if verb not in SAFE_HTTP:
            return f"sends a state-changing request ({name})"
        return _verb_reason(args, name) if verb == "request" else None
    if name.startswith(("socket.", "ssl.", "http.client.")) or name in READ_CALLS or pure_name(name):
        return None
    if name.removeprefix("builtins.") in PURE_BUILTINS or name.removeprefix("builtins.") in EXCEPTIONS:
        return None
    if name == "builtins.print":
        return "prints (output order would change)"
    if name.startswith("logging."):
        return f"logs ({name}; record order would change)"
    if name.startswith("subprocess."):
        return f"runs a subprocess ({name}; its effects are unknown)"
    if name.startswith(("random.", "secrets.")):
        return f"calls {name} (shared random state)"
    return _impure_reason(name, True)


def _open_reason(args: Sequence[cst.Arg], position: int) -> str | None:
    positional = [a for a in args if a.keyword is None and not a.star]
    mode = next((a.value for a in args if a.keyword is not None and a.keyword.value == "mode"), None)
    if mode is None and len(positional) > position:
        mode = positional[position].value
    if any(a.star for a in args):
        return "opens a file with unknown arguments"
    if mode is None:
        return None
    if not isinstance(mode, cst.SimpleString):
        return "opens a file with a non-constant mode"
    return "opens a file for writing" if set(str(mode.evaluated_value)) & set("wax+") else None


def _verb_reason(args: Sequence[cst.Arg], shown: str) -> str | None:
    positional = [a for a in args if a.keyword is None and not a.star]
    verb = positional[0].value if positional else None
    if isinstance(verb, cst.SimpleString) and str(verb.evaluated_value).upper() in SAFE_VERBS:
        return None
    return f"sends a request whose method is not GET/HEAD ({shown})"


def _value_reason(index: ModuleIndex, fn: FunctionInfo, name: cst.Name, binding: str) -> str | None:
    """Functions passed as values run somewhere: they must be harmless too; thread-local state
    reads differently on a worker thread."""
    if binding == "global" and _thread_local(index, name.value):
        return f"reads thread-local state {name.value}"
    top = index.chain_top(name)
    if _called(index, top):
        return None
    if binding in ("builtin", "import"):
        qualified = index.qualified_name(top)
        if qualified is None:
            return f"uses {index.code(top)} (an ambiguous import)"
        harmless = (qualified in READ_CALLS or pure_name(qualified)
                    or qualified.removeprefix("builtins.") in PURE_BUILTINS | EXCEPTIONS)
        return None if harmless else f"passes {qualified} as a value"
    if (isinstance(top, cst.Attribute) and top.attr.value in MUTATING_METHODS
            and not Ownership(index).owned(top.value)):
        return f"passes {index.code(top)} as a value (a mutating method)"
    return None


def _thread_local(index: ModuleIndex, name: str) -> bool:
    assignments = index.global_assignments(name)
    values = [bound_value(index, a) for a in assignments]
    return any(isinstance(v, cst.Call) and index.qualified_name(v.func) in THREAD_LOCAL for v in values)


class Ownership:
    """Whether an expression evaluates to an object freshly created in this call (so storing into
    it, or calling its methods, changes nothing anyone else can see)."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.seen: set[int] = set()

    def owned(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp,
                             cst.GeneratorExp, cst.FormattedString, cst.BinaryOperation)):
            return True
        if isinstance(expr, cst.Name):
            return self.index.binding(expr) == "local" and all(
                self._assignment(a) for a in self.index.assignments(expr))
        if isinstance(expr, cst.Call):
            return self._fresh_call(expr)
        return False

    def _fresh_call(self, call: cst.Call) -> bool:
        name = self.index.qualified_name(call.func)
        if name is not None:
            return name in FRESH_BUILTINS or name.startswith(FRESH_PREFIXES)
        return isinstance(call.func, cst.Attribute) and call.func.attr.value in FRESH_METHODS

    def _assignment(self, assignment: BaseAssignment) -> bool:
        node = getattr(assignment, "node", None)
        if not isinstance(assignment, Assignment) or not isinstance(node, cst.Name):
            return False
        if id(node) in self.seen:
            return True
        self.seen.add(id(node))
        parent = self.index.parent(node)
        if isinstance(parent, cst.AugAssign):
            return True
        if isinstance(parent, cst.AsName):
            item = self.index.parent(parent)
            return isinstance(item, cst.WithItem) and self.owned(item.item)
        value = bound_value(self.index, assignment)
        return value is not None and self.owned(value)


# --- evidence (least fixpoint: reachable through module functions) ---------------------------


def io_evidence(index: ModuleIndex, qualname: str) -> list[str]:
    """Blocking I/O calls the function makes, directly or through module functions it calls."""
    key = ("io", qualname)
    if key not in index.cache:
        index.cache[key] = _reachable(index, qualname, _io_local)
    return index.cache[key]


def transient_evidence(index: ModuleIndex, qualname: str, transient: Sequence[str]) -> list[str]:
    """Transient exceptions it raises and network calls it makes, directly or through callees."""
    key = ("transient", qualname, tuple(transient))
    if key not in index.cache:
        index.cache[key] = _reachable(index, qualname, lambda ix, fn: _transient_local(ix, fn, tuple(transient)))
    return index.cache[key]


def _reachable(index: ModuleIndex, qualname: str,
               local: Callable[[ModuleIndex, FunctionInfo], list[str]]) -> list[str]:
    start = index.function(qualname)
    if start is None:
        return []
    found: list[str] = []
    seen = {qualname}
    pending = [start]
    while pending:
        fn = pending.pop(0)
        found.extend(local(index, fn))
        for callee in callees_of(index, fn):
            if callee.qualname not in seen:
                seen.add(callee.qualname)
                pending.append(callee)
    return _unique(found)


def _io_local(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    return [name for call in index.scan(fn).calls if (name := blocking_call(index, call)) is not None]


def _transient_local(index: ModuleIndex, fn: FunctionInfo, transient: tuple[str, ...]) -> list[str]:
    found = []
    for node in index.scan(fn).raises:
        exc = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
        if exc is not None and is_transient_class(index, exc, transient, set()):
            found.append(f"raises {index.code(exc)}")
    for call in index.scan(fn).calls:
        name = index.qualified_name(call.func)
        if name is not None and name.startswith(NETWORK_PREFIXES):
            found.append(f"calls {name}")
    return found


def is_transient_class(index: ModuleIndex, expr: cst.BaseExpression, transient: tuple[str, ...],
                       seen: set[str]) -> bool:
    """The exception class is one of ``transient``, a builtin subclass of one, or a module class
    deriving from one."""
    name = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else None
    if name is None or name in seen:
        return False
    if name in transient:
        return True
    known = getattr(builtins, name, None)
    if isinstance(known, type) and any(
        isinstance(getattr(builtins, t, None), type) and issubclass(known, getattr(builtins, t)) for t in transient
    ):
        return True
    cls = index.module_class(name) if isinstance(expr, cst.Name) else None
    return cls is not None and any(is_transient_class(index, base.value, transient, seen | {name})
                                   for base in cls.bases if base.keyword is None)
