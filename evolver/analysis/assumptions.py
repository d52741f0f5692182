"""The assumptions of evolver's soundness model (``docs/soundness.md``), by name.

Everything a transform relies on beyond them is proven. Each applicable site lists the assumptions
it relies on; ``[tool.evolver] assumptions = {name = false}`` switches one off, and every site
relying on it is then refused, saying so. An assumption can be switched off, never on beyond the
default (they all hold by default).
"""

from __future__ import annotations

ASSUMPTIONS: dict[str, str] = {
    "module-globals-private":
        "the module's globals are changed only by the module's own code: no other module, test or "
        "debugger assigns `module.NAME` while the rewritten code runs (no monkeypatching from outside), "
        "nor hands the module object itself to the module's code (so `setattr(obj, ...)` on an object the "
        "module did not take from `sys.modules`, `globals()` or an import of itself rebinds no global), "
        "nor changes what a module-level list, dict or set holds except through the module's functions "
        "(one the module hands out is followed no further)",
    "builtins-unchanged":
        "builtins are not rebound or patched from outside the module (`builtins.len = ...`)",
    "stdlib-as-documented":
        "the standard library behaves as documented (evolver.analysis.catalogue) and is not patched",
    "annotations-hold":
        "a parameter holds an instance of the type its annotation names, or of a subclass of it; a subclass "
        "may override any method, but what its methods and operators return is of the kind the builtin's "
        "would be, or a subclass of it (only construction proves a value is exactly a builtin)",
    "methods-not-overridden":
        "a method called on `self` or on a parameter annotated with a class of the module is that "
        "class's own method, not an override in a subclass defined outside the module",
    "equal-keys-interchangeable":
        "two arguments of one type that compare equal are interchangeable (the type's `__eq__` and "
        "`__hash__` agree with everything else it does), and an argument of a subclass of a builtin type "
        "behaves like the builtin under its operators and methods (what a memoized call skips)",
    "hash-agrees-with-eq":
        "values that compare equal have equal hashes (Python's rule for `__hash__`), also for a subclass "
        "of a builtin type that defines its own `__eq__`",
    "quiet-special-methods":
        "special methods run implicitly by operators, comparisons, hashing, formatting and truth tests "
        "(`__add__`, `__eq__`, `__hash__`, `__str__`, `__bool__`...) write no state outside their object "
        "and do no I/O",
    "arguments-not-lazy":
        "a value of unknown type that the code gets from its caller (a parameter, or what one holds) is "
        "not a one-shot iterator (a generator, a file, `iter(...)`) whose production has effects: code may "
        "walk it ahead of time (a thread pool) or hand it again to a retried call",
    "attributes-private":
        "an object's attributes are stored into only by the module's own code: no code outside the module, "
        "and no subclass defined elsewhere, assigns `obj.attr` (what `self.attr` may hold is what the "
        "module's methods store into it)",
    "single-thread":
        "no other thread changes the function's objects or the module's globals while the rewritten "
        "code runs",
    "frames-not-inspected":
        "no code outside the function reads or changes its local variables through its frame "
        "(`sys._getframe(1).f_locals`, a tracer, a debugger), nor depends on which frames are on the stack "
        "(a traceback printed in full, a log format with `%(funcName)s`: a comprehension runs in a frame of "
        "its own)",
    "identity-not-observed":
        "code does not depend on the identity (`is`, `id()`) of an immutable value an expression "
        "computes, nor on whether two such evaluations give the same object",
    "recursion-headroom":
        "recursive code does not run within a factor of three of the recursion limit (a cached or "
        "comprehension-based version uses more frames per level)",
    "timing-not-observed":
        "the program's results do not depend on timing: calls may overlap (thread pool) or be "
        "repeated after a delay (retry)",
    "declared-idempotent":
        "a callee the settings declare idempotent (`idempotent = [...]`) may be called again after a "
        "transient failure with the same effect as one successful call",
    "foreign-code-contained":
        "code the analysis cannot see that a loop body calls (a function or method of another module, "
        "a method of an object of unknown type) does not change the objects or the module globals that "
        "the loop's own I/O calls read, nor the files or network resources they read: a thread pool "
        "makes those calls ahead of the body",
    "finalizers-quiet":
        "`__del__` methods, weakref callbacks and signal handlers do not interfere with the rewritten "
        "code (true of every static analysis of Python)",
}


def known(name: str) -> bool:
    return name in ASSUMPTIONS


def switched_off_reason(name: str) -> str:
    return f"relies on the assumption `{name}`, switched off in [tool.evolver] assumptions"
