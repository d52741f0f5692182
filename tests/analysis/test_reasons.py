"""Refusal reasons seen wrong on real code (benchmarks/realworld reviews, issue 10): each shape with
its true reason, and the wrong one absent. A wrong reason is a bug even when refusing is right."""

from __future__ import annotations

import ast

import pytest

from evolver.analysis import types
from evolver.analysis.independence import independence_reasons
from evolver.analysis.index import ModuleIndex
from evolver.analysis.purity import purity_reasons
from evolver.analysis.raises import raise_reason
from tests.analysis.test_purity import memoize_reasons


def reasons_of(source: str, name: str = "f") -> list[str]:
    return purity_reasons(ModuleIndex(source, "m"), name)


def test_a_method_of_a_value_of_unknown_type_is_not_said_to_write_files() -> None:
    # humanize.number.intcomma: ``value.replace(...)`` on a parameter of unknown type
    reasons = reasons_of("def f(value, sep: str):\n    return value.replace(sep, '')\n")
    assert not any(r.startswith("writes files") for r in reasons), reasons
    assert "calls `value.replace` on a value whose type is not known (as a path it writes files)" in reasons


def test_a_method_of_a_declared_str_says_a_subclass_may_override_it() -> None:
    reasons = reasons_of("def f(n: int, obj):\n    s = str(obj)\n    return s.replace('a', 'b')\n")
    assert "calls `s.replace` on a value that may be a subclass of str (its own `replace` may be any code)" \
        in reasons, reasons
    assert not any("writes files" in r for r in reasons), reasons


def test_a_method_every_candidate_type_mutates_keeps_its_plain_reason() -> None:
    reasons = reasons_of("def f(xs, n: int):\n    xs.append(n)\n    return n\n")
    assert "xs.append changes `xs` (reachable from a parameter)" in reasons


def test_str_replace_on_an_exact_str_is_pure() -> None:
    assert memoize_reasons("def f(value: str, sep: str) -> str:\n    return value.replace(sep, '')\n", "f") == []


def test_an_f_string_replacement_is_not_a_callback() -> None:
    # humanize.number.intcomma: ``re.sub(pattern, rf"\g<1>{sep}\g<2>", orig)``
    source = "import re\n\ndef f(s: str, sep: str) -> str:\n    return re.sub(r'^(\\d+)(\\d{3})', rf'\\g<1>{sep}\\g<2>', s)\n"
    assert memoize_reasons(source, "f") == []


@pytest.mark.parametrize("replacement", ["g", "table[0]"])
def test_a_replacement_that_may_be_callable_is_still_a_callback(replacement: str) -> None:
    source = f"import re\n\ntable = [str.upper]\n\ndef f(s: str, g) -> str:\n    return re.sub('a', {replacement}, s)\n"
    assert f"re.sub may call back `{replacement}`" in reasons_of(source)


def test_a_builtin_type_handed_to_a_callee_is_not_an_inexact_value() -> None:
    # tabulate._isnumber: ``_isconvertible(float, string)``; the true reason is the callee's call of it
    source = ("def conv(c, s: str) -> bool:\n    return c(s) is not None\n\n"
              "def f(s: str) -> bool:\n    return conv(float, s)\n")
    reasons = reasons_of(source)
    assert not any("passes `float`" in r for r in reasons), reasons
    assert reasons == ["calls conv, which is not proven pure (calls param c (unknown function))"]


def test_a_builtin_function_handed_over_and_only_compared_is_pure() -> None:
    source = ("def pick(fn, s: str) -> int:\n    return 1 if fn is len else 0\n\n"
              "def f(s: str) -> int:\n    return pick(len, s) + pick(ValueError, s)\n")
    assert reasons_of(source) == []


def test_a_builtin_with_effects_handed_over_is_still_refused() -> None:
    source = ("def pick(fn, s: str) -> int:\n    return 1\n\n"
              "def f(s: str) -> int:\n    return pick(print, s)\n")
    assert "passes `print` to pick, not proven an exact builtin value" in reasons_of(source)


@pytest.mark.parametrize(("call", "true", "wrong"), [
    pytest.param("__import__(s)", "imports a module (its code runs on the first import) (builtins.__import__)",
                 ("runs code from strings", "frame"), id="import"),
    pytest.param("compile(s, '<s>', 'eval')", "may show a warning (builtins.compile)",
                 ("runs code from strings", "frame"), id="compile"),
    pytest.param("breakpoint()", "runs the debugger hook (sys.breakpointhook) (builtins.breakpoint)",
                 ("runs code from strings",), id="breakpoint"),
    pytest.param("eval(s)", "runs code from strings (builtins.eval)", (), id="eval"),
])
def test_calls_that_are_not_exec_say_what_they_do(call: str, true: str, wrong: tuple[str, ...]) -> None:
    reasons = reasons_of(f"def f(s: str):\n    return {call}\n")
    assert true in reasons, reasons
    assert not any(w in r for r in reasons if "builtins.eval" not in r for w in wrong), reasons


NEWTYPE = (
    "import re\nfrom typing import NewType, cast\n\nName = NewType('Name', str)\n"
    "_SEP = re.compile(r'[-_.]+')\n\n"
)


@pytest.mark.parametrize(("body", "name"), [
    pytest.param("def f(name: str) -> Name:\n    value = _SEP.sub('-', name).lower()\n    return cast(Name, value)\n",
                 "f", id="cast-returns-its-argument"),
    pytest.param("def f(name: str) -> Name:\n    return Name(name.lower())\n", "f", id="newtype-call"),
    pytest.param("def f(name: Name) -> int:\n    return len(name)\n", "f", id="newtype-annotation"),
    pytest.param("def f(name: str) -> str:\n    return cast('Name', name.strip())\n", "f", id="quoted-cast"),
])
def test_newtype_and_cast_are_their_argument(body: str, name: str) -> None:
    # packaging.utils.canonicalize_name: ``cast(NormalizedName, value)`` with a NewType of str
    assert memoize_reasons(NEWTYPE + body, name) == []


def test_cast_of_a_mutable_value_is_that_value() -> None:
    reasons = memoize_reasons(NEWTYPE + "def f(name: str):\n    return cast(str, [name])\n", "f")
    assert reasons == ["return value `cast(str, [name])` is not provably immutable (list[str])"]


def test_a_newtype_rebound_by_a_function_is_unknown_code() -> None:
    source = NEWTYPE + ("def swap() -> None:\n    global Name\n    Name = list\n\n"
                        "def f(name: str):\n    return Name(name)\n")
    reasons = memoize_reasons(source, "f")
    assert "reads module global Name (rebound in the module)" in reasons, reasons


def _receiver_reason(source: str) -> str | None:
    index = ModuleIndex(source, "m")
    fn = index.function("f")
    assert fn is not None
    call = next(n for n in ast.walk(fn.node) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "lower")
    return raise_reason(index, types.facts(index, fn), call)


def test_lower_on_a_local_built_from_str_literals_cannot_raise() -> None:
    source = ("def f(words: list[str], n: int) -> list[str]:\n    x = ''\n    for w in words:\n        x += '-'\n"
              "    out = []\n    for i in range(n):\n        out.append(x.lower())\n    return out\n")
    assert _receiver_reason(source) is None


def test_lower_on_a_local_extended_with_declared_strs_names_the_receiver() -> None:
    source = ("def f(words: list[str], n: int) -> list[str]:\n    x = ''\n    for w in words:\n        x += w\n"
              "    out = []\n    for i in range(n):\n        out.append(x.lower())\n    return out\n")
    assert _receiver_reason(source) == "`x.lower()` may raise (`x` is str+, not provably an exact str; arguments: none)"


def test_setattr_on_another_module_rebinds_nothing_here() -> None:
    # test.support: ``setattr(sys, name, stream)`` in captured_output made every global "rebound"
    source = ("import sys\n\n_1M = 1024\n\ndef swap(name: str, stream) -> None:\n    setattr(sys, name, stream)\n\n"
              "def f(n: int) -> int:\n    return n * _1M\n")
    assert memoize_reasons(source, "f") == []


@pytest.mark.parametrize("target", ["sys.modules[__name__]", "me", "where"])
def test_setattr_on_this_module_or_an_unknown_object_rebinds_any_global(target: str) -> None:
    # ``where`` may be the module: the module takes hold of itself (``import m as me``) and may pass it
    source = (f"import sys\nimport m as me\n\n_1M = 1024\n\ndef swap(where) -> None:\n    setattr({target}, '_1M', 2)\n\n"
              "def f(n: int) -> int:\n    return n * _1M\n\nswap(me)\n")
    assert "reads module global _1M (rebound at run time: swap (through setattr()) can rebind any global)" \
        in memoize_reasons(source, "f")


@pytest.mark.parametrize("setter", ["setattr(self, name, value)", "setattr(where, name, value)",
                                    "delattr(where, name)", "vars(where)[name] = value"])
def test_setattr_on_an_object_of_a_module_that_never_holds_itself_rebinds_nothing(setter: str) -> None:
    # the stdlib sweep: ``setattr(self, ...)`` in any method made every global "rebound at run time"
    source = (f"_1M = 1024\n\nclass C:\n    def set(self, where, name, value):\n        {setter}\n\n"
              "def f(n: int) -> int:\n    return n * _1M\n")
    assert memoize_reasons(source, "f") == []
    held = "import sys\n\ndef me():\n    return sys.modules[__name__]\n\n" + source
    assert "can rebind any global" in " ".join(memoize_reasons(held, "f"))


@pytest.mark.parametrize(("entry", "holds_itself"), [
    ("sys.modules['statistics'] = where", False), ("sys.modules.pop('json', None)", False),
    ("sys.modules['pkg.m'].X = where", True), ("sys.modules['__main__'].X = where", True),
    ("sys.modules['pkg'].m.X = where", True), ("sys.modules.get(where).X = 1", True)])
def test_an_entry_of_sys_modules_is_a_handle_unless_a_constant_names_another_module(entry: str,
                                                                                    holds_itself: bool) -> None:
    # test.test_statistics swaps sys.modules['statistics']: that made every setattr/vars(obj) "rebind any global"
    source = (f"import sys\n\n_1M = 1024\n\ndef swap(where) -> None:\n    {entry}\n\n"
              "def put(obj, v) -> None:\n    setattr(obj, '_1M', v)\n\ndef f(n: int) -> int:\n    return n * _1M\n")
    from evolver.analysis.rebinding import rebinders
    found = rebinders(ModuleIndex.of(source, "pkg.m")).of("_1M")
    assert (found == ["swap", "put"]) if holds_itself else (found == []), found


@pytest.mark.parametrize("handle", ["globals()", "sys.modules[__name__]"])
def test_a_handle_on_the_module_kept_in_a_global_rebinds_through_it(handle: str) -> None:
    source = (f"import sys\n\nG = {handle}\nH = G\n_1M = 1024\n\ndef swap() -> None:\n    H.__dict__['_1M'] = 2\n"
              "    H['_1M'] = 2\n\ndef f(n: int) -> int:\n    return n * _1M\n")
    assert "reads module global _1M (rebound at run time: swap (through `H` (holds `G` (holds " \
        in " ".join(memoize_reasons(source, "f"))


def test_a_starred_exact_tuple_passes_exact_arguments() -> None:
    # test.dtracedata.call_stack: ``function_5(*(1, 2))`` was "passes `*(1, 2)` ..., not proven exact"
    source = "def g(a: int, b: int) -> int:\n    return a + b\n\ndef f(n: int) -> int:\n    return g(*(1, 2)) + n\n"
    assert reasons_of(source) == []
    unknown = "def g(a: int, b: int) -> int:\n    return a + b\n\ndef f(n: int, obj) -> int:\n    return g(*obj)\n"
    assert "passes `*obj` to g, not proven an exact builtin value" in reasons_of(unknown)


def test_keyword_arguments_to_a_callee_are_checked_like_positional_ones() -> None:
    source = "def g(a: int) -> int:\n    return a\n\ndef f(n: int, obj) -> int:\n    return g(a=obj) + n\n"
    assert "passes `obj` to g, not proven an exact builtin value" in reasons_of(source)


def test_socket_options_are_not_network_writes() -> None:
    source = ("import socket\n\ndef f(host: str):\n    s = socket.socket()\n    s.settimeout(1.0)\n    s.setsockopt(1, 2, 3)\n"
              "    s.connect((host, 80))\n    return s\n")
    reasons = independence_reasons(ModuleIndex(source, "m"), "f")
    assert not any("settimeout" in r or "setsockopt" in r for r in reasons), reasons
    assert "sends data over the network (s.connect)" in reasons


def test_a_method_none_lacks_only_raises_attribute_error() -> None:
    # test.support._parse_memlimit: ``m = re.match(...); m.group(1)`` was "calls unknown method m.group"
    source = "import re\n\ndef f(s: str) -> int:\n    m = re.match('(a+)', s)\n    return len(m.group(1))\n"
    assert not any("m.group" in r for r in reasons_of(source)), reasons_of(source)


def test_a_builtin_call_on_a_declared_value_names_the_value_not_the_builtin() -> None:
    # was "calls `range`, which may run any code": range is known; an int subclass's __index__ is not
    from evolver import transforms
    from evolver.transforms import Context

    source = "def f(xs: list[int], n: int) -> int:\n    t = 0\n    for i in range(n):\n        t += len(xs)\n    return t\n"
    transform, ctx = transforms.get("hoist-invariant"), Context(module="m")
    site = transform.sites(transforms.index_for(transform, source, ctx), ctx)[0]  # type: ignore[arg-type]
    assert any("calls `range` on `n` (int+), whose own special methods may run any code" in r for r in site.reasons)
    assert not any("calls `range`, which" in r for r in site.reasons), site.reasons
