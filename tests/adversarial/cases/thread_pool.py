"""thread-pool: ``for x in xs: out.append(f(x))`` becomes ``out.extend(pool.map(f, xs))``."""

from __future__ import annotations

from ..case import apply, refuse

T = "thread-pool"
SHAPE = "nothing else in the body"
IO = "proven I/O-bound"
INDEPENDENT = "f proven independent"
VARIABLE = "used only as one positional argument"
EXTRA = "extra arguments"
OUT = "bound only to fresh lists"

# Four small files under the side's own working directory, named by relative paths (the same on
# both sides).
FILES = """
import os
root = "data"
os.makedirs(root)
paths = []
for _name in ("a", "b", "c", "d"):
    paths.append(os.path.join(root, _name))
    with open(paths[-1], "w") as _handle:
        _handle.write(_name * 3)
names = [os.path.basename(p) for p in paths]
"""

CASES = (
    # --- loop semantics the pool changes --------------------------------------------------------------
    refuse(
        "thread-pool-stopiteration-from-callee", T, "StopIteration escaping the callee becomes RuntimeError "
        "inside Executor.map's result generator",
        """
        import time


        def first_x(key):
            time.sleep(0.001)
            return next(p for p in key.split(",") if p.startswith("x"))


        def firsts(keys):
            out = []
            for k in keys:
                out.append(first_x(k))
            return out
        """,
        "firsts(['x1,a', 'b,c'])",
        reason=r"StopIteration|may raise", covers=(),
    ),
    refuse(
        "thread-pool-lazy-iterable-consumed-ahead", T, "Executor.map drains a generator before the first call "
        "fails: its later items are produced (and printed) too",
        """
        import time


        def produce(keys):
            for k in keys:
                print("producing", k)
                yield k


        def fetch(key):
            time.sleep(0.001)
            if key == "bad":
                raise KeyError(key)
            return key.upper()


        def fetch_all(keys):
            out = []
            for k in produce(keys):
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a', 'bad', 'c', 'd'])",
        reason=r"iterable|lazy|eager|generator", covers=(),
    ),
    refuse(
        "thread-pool-unbounded-iterable", T, "an endless page counter: the loop stops at the first failure, "
        "Executor.map reads ahead without end (here the counter gives up after 10,000 pages)",
        """
        import time


        def counter():
            k = 0
            while True:
                if k > 10_000:
                    raise OverflowError("read 10,000 pages ahead")
                yield k
                k += 1


        def page(k):
            time.sleep(0)
            if k == 3:
                raise IndexError("no more pages")
            return k


        def pages():
            out = []
            for k in counter():
                out.append(page(k))
            return out
        """,
        "pages()",
        reason=r"iterable|lazy|eager|infinite|unbounded", covers=(),
    ),
    refuse(
        "thread-pool-calls-after-failure-heappush", T, "calls after a failing one still run: each pushes onto "
        "the caller's heap",
        """
        import heapq
        import time


        def stage(key, heap):
            time.sleep(0.001)
            if key == "b":
                raise ValueError(key)
            heapq.heappush(heap, key)
            return key


        def stage_all(keys, heap):
            out = []
            for k in keys:
                out.append(stage(k, heap))
            return out
        """,
        "stage_all(['a', 'b', 'c', 'd'], _heap)", setup="_heap = []", probes="sorted(_heap)",
        reason=r"heappush|mutat|heap", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-next-on-shared-iterator", T, "each call takes an id from the caller's iterator: the pool "
        "takes them for calls after the failure too",
        """
        import time


        def tag(key, ids):
            time.sleep(0.001)
            if key == "bad":
                raise KeyError(key)
            return (key, next(ids))


        def tag_all(keys, ids):
            out = []
            for k in keys:
                out.append(tag(k, ids))
            return out
        """,
        "tag_all(['a', 'bad', 'c', 'd'], _ids)", setup="_ids = iter(range(100, 110))", probes="list(_ids)",
        reason=r"next|iterator|consum", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-thread-local-argument", T, "a threading.local passed in: a worker thread sees none of the "
        "caller's attributes",
        """
        import time


        def owner(key, context):
            time.sleep(0.001)
            return f"{key}:{context.user}"


        def owners(keys, context):
            out = []
            for k in keys:
                out.append(owner(k, context))
            return out
        """,
        "owners(['a', 'b'], ctx)", setup="import threading\nctx = threading.local()\nctx.user = 'ann'",
        reason=r"thread|local", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-appends-to-argument", T, "the callee appends to a list the caller passes in",
        """
        import time


        def fetch(key, seen):
            time.sleep(0.001)
            seen.append(key)
            return key


        def fetch_all(keys, seen):
            out = []
            for k in keys:
                out.append(fetch(k, seen))
            return out
        """,
        "fetch_all(['a', 'b', 'c'], log)", setup="log = []", probes="log",
        reason=r"seen\.append", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-prints", T, "printed lines would interleave in another order",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            print("got", key)
            return key


        def fetch_all(keys):
            return [fetch(k) for k in keys]
        """,
        "fetch_all(['a', 'b', 'c'])",
        reason=r"prints", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-declares-global", T, "a global counter incremented by each call",
        """
        import time

        DONE = 0


        def fetch(key):
            global DONE
            time.sleep(0.001)
            DONE += 1
            return (key, DONE)


        def fetch_all(keys):
            return [fetch(k) for k in keys]
        """,
        "fetch_all(['a', 'b', 'c'])",
        reason=r"declares global DONE", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-writes-file", T, "each call appends a line to one file",
        """
        def save(line, path):
            with open(path, "a") as handle:
                handle.write(line + "\\n")
            return line


        def save_all(lines, path):
            out = []
            for line in lines:
                out.append(save(line, path))
            return out
        """,
        "save_all(['a', 'b'], path)", setup="path = 'out.txt'",
        probes="open(path).read()",
        reason=r"opens a file for writing", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-cpu-bound-callee", T, "a pure computation gains nothing and the GIL serialises it",
        """
        def square(k):
            return k * k


        def squares(ks):
            out = []
            for k in ks:
                out.append(square(k))
            return out
        """,
        "squares([1, 2, 3])",
        reason=r"not proven I/O-bound", covers=IO,
    ),
    refuse(
        "thread-pool-callee-is-a-local-function", T, "a nested helper is not a module function bound once",
        """
        import time


        def fetch_all(keys):
            def fetch(key):
                time.sleep(0.001)
                return key
            out = []
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a'])",
        reason=r"not a module function bound once", covers=IO,
    ),
    refuse(
        "thread-pool-callee-rebound-later", T, "the module rebinds fetch after defining it",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            return [fetch(k) for k in keys]


        fetch = str.upper
        """,
        "fetch_all(['a', 'b'])",
        reason=r"not a module function bound once", covers=IO,
    ),
    refuse(
        "thread-pool-loop-variable-after-loop", T, "the last key is used after the loop",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            out = []
            for k in keys:
                out.append(fetch(k))
            return out, k
        """,
        "fetch_all(['a', 'b'])",
        reason=r"loop variable `k` is used outside the call", covers=VARIABLE,
    ),
    apply(
        "thread-pool-loop-variable-in-expression", T, "f(n + 1): the argument is computed from the key, on the "
        "worker, for each item",
        """
        import time


        def fetch(n):
            time.sleep(0.001)
            return n


        def fetch_all(ns):
            return [fetch(n + 1) for n in ns]
        """,
        "fetch_all([1, 2])",
        probes=("fetch_all([])", "fetch_all([1, None, 3])"), covers=VARIABLE,
    ),
    refuse(
        "thread-pool-extra-argument-rebound-in-loop", T, "an extra argument that changes each iteration",
        """
        import time


        def fetch(key, attempt):
            time.sleep(0.001)
            return (key, attempt)


        def fetch_all(keys):
            out = []
            attempt = 0
            for k in keys:
                out.append(fetch(k, attempt))
                attempt += 1
            return out
        """,
        "fetch_all(['a', 'b'])",
        reason=r"`attempt` is rebound in the loop", covers=EXTRA,
    ),
    refuse(
        "thread-pool-extra-argument-is-a-call", T, "an extra argument computed per call (time.monotonic())",
        """
        import time


        def fetch(key, when):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            return [fetch(k, time.monotonic()) for k in keys]
        """,
        "fetch_all(['a', 'b'])",
        reason=r"argument `time\.monotonic\(\)` (is not provably bound|reads the clock)", covers=EXTRA,
    ),
    refuse(
        "thread-pool-out-used-before-loop", T, "the list is shared with the caller before the loop fills it",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys, sink):
            out = []
            sink.append(out)
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a'], box)", setup="box = []", probes="box",
        reason=r"`out` is used before the loop", covers=OUT,
    ),
    refuse(
        "thread-pool-out-is-a-parameter", T, "appending to the caller's own list",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys, out):
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a', 'b'], box)", setup="box = []",
        reason=r"not a local list", covers=OUT,
    ),
    refuse(
        "thread-pool-loop-inside-try", T, "a handler would see a different partial list",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            if key == "bad":
                raise KeyError(key)
            return key


        def fetch_all(keys):
            out = []
            try:
                for k in keys:
                    out.append(fetch(k))
            except KeyError:
                pass
            return out
        """,
        "fetch_all(['a', 'bad', 'c'])",
        reason=r"inside a `try`", covers=OUT,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "thread-pool-read-files", T, "reading files in order: results in the same order", """
        def read(path):
            with open(path) as handle:
                return handle.read()


        def read_all(paths):
            out = []
            for p in paths:
                out.append(read(p))
            return out
        """,
        "read_all(paths)", setup=FILES, covers=IO,
    ),
    apply(
        "thread-pool-comprehension-with-constant", T, "an extra constant argument becomes itertools.repeat",
        """
        import time


        def fetch(key, delay):
            time.sleep(delay)
            return key * 2


        def fetch_all(keys):
            return [fetch(k, 0.001) for k in keys]
        """,
        "fetch_all(['a', 'b', 'c'])", probes="fetch_all([])", covers=EXTRA,
    ),
    apply(
        "thread-pool-failure-in-the-middle", T, "the first failing item's exception surfaces, as in the loop",
        """
        def read(path):
            with open(path) as handle:
                return handle.read()


        def read_all(paths):
            out = []
            for p in paths:
                out.append(read(p))
            return out
        """,
        "read_all([paths[0], '/nonexistent/x', '/nonexistent/y'])", setup=FILES, covers=INDEPENDENT,
    ),
    apply(
        "thread-pool-suppress-keeps-partial", T, "contextlib.suppress around the loop: list.extend keeps what "
        "was appended before the failure",
        """
        import contextlib


        def read(path):
            with open(path) as handle:
                return handle.read()


        def read_some(paths):
            out = []
            with contextlib.suppress(FileNotFoundError):
                for p in paths:
                    out.append(read(p))
            return out
        """,
        "read_some([paths[0], paths[1], '/nonexistent/x', paths[2]])", setup=FILES, covers=OUT,
    ),
    apply(
        "thread-pool-parameter-extra-argument", T, "a parameter and a module constant as extra arguments",
        """
        import os

        ENCODING = "utf-8"


        def read(name, root, encoding):
            with open(os.path.join(root, name), encoding=encoding) as handle:
                return handle.read()


        def read_all(names, root):
            return [read(n, root, ENCODING) for n in names]
        """,
        "read_all(names, root)", setup=FILES, covers=EXTRA,
    ),
    refuse(
        "thread-pool-parameter-named-concurrent", T, "a parameter named `concurrent` hides the module the pool "
        "needs",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys, concurrent=1):
            out = []
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a', 'b'])",
        reason=r"`concurrent` is a local name", covers=SHAPE,
    ),
    refuse(
        "thread-pool-concurrent-of-enclosing-function", T, "`concurrent` is a parameter of the enclosing "
        "function: the nested function's pool would read it",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def make(concurrent):
            def fetch_all(keys):
                out = []
                for k in keys:
                    out.append(fetch(k))
                return out
            return fetch_all
        """,
        "make(2)(['a', 'b'])",
        reason=r"`concurrent` is a local name|enclosing|free variable", covers=SHAPE, site="fetch_all",
    ),
)

# --- the prefetch form: calls made ahead of time, the loop body unchanged -----------------------------

EVERY = "runs on every pass"
SAME = "changes nothing it reads"

# A stand-in for a remote index: ``lookup(key)`` waits like a round trip and fails for some keys, as
# a network call fails for some items.
LOOKUP = """
        import time
        from urllib.error import URLError

        BAD = ("bad", "bad1", "bad2")


        def lookup(key):
            time.sleep(0.002)
            if key in BAD:
                raise URLError(f"no such key: {key}")
            if key == "boom":
                raise ValueError(key)
            return (key, len(key))
"""

PREFETCH_CASES = (
    apply(
        "thread-pool-prefetch-per-item-except", T, "per-item except keeps an error row in place of each failure, "
        "in order", LOOKUP + """

        def error_row(key, error):
            return {"key": key, "error": str(error)}


        def collect(keys):
            out = []
            for k in keys:
                try:
                    out.append(lookup(k))
                except URLError as e:
                    out.append(error_row(k, e))
            return out
        """,
        "collect(['a', 'bad1', 'b', 'bad2', 'c'])", probes=("collect([])", "collect(['boom', 'a'])"),
        covers=EVERY,
    ),
    apply(
        "thread-pool-prefetch-continue-and-log", T, "pipreqs' shape: log, look up, `continue` on a failure, log "
        "again; the printed lines and the result keep their order",
        LOOKUP + """

        def resolve(keys, prefix):
            result = []
            for item in keys:
                try:
                    print("resolving", item)
                    answer = lookup(prefix + item)
                    if answer.endswith("X"):
                        raise URLError("unexpected " + answer)
                except URLError:
                    print("not found", item)
                    continue
                print("resolved", item, answer)
                result.append({"name": item, "answer": answer})
            return result
        """,
        "resolve(['a', 'x', 'bad', 'b'], '')", probes=("resolve(['boom', 'a'], '')",), covers=SAME,
    ),
    apply(
        "thread-pool-prefetch-exception-escapes-midway", T, "an uncaught failure at the third item: the lines "
        "printed before it and the exception are the loop's",
        LOOKUP + """

        def show(keys):
            for k in keys:
                try:
                    value = lookup(k)
                except URLError:
                    value = None
                print(k, value)
        """,
        "show(['a', 'bad', 'boom', 'c', 'd'])", covers=EVERY,
    ),
    apply(
        "thread-pool-prefetch-stopiteration", T, "StopIteration from a call made ahead surfaces as itself where the "
        "call stood (not as RuntimeError)",
        """
        import time


        def first(key):
            time.sleep(0.001)
            return next(iter(key))


        def firsts(keys):
            out = []
            for k in keys:
                try:
                    out.append(first(k))
                except KeyError:
                    out.append(None)
            return out
        """,
        "firsts(['ab', '', 'cd'])", probes=("firsts(['x1', 'x2'])",), covers=EVERY,
    ),
    apply(
        "thread-pool-keyword-argument", T, "f(x, timeout=1): made ahead as a call of the loop variable",
        """
        import time


        def fetch(key, timeout=0):
            time.sleep(0.001)
            return (key, timeout)


        def fetch_all(keys):
            return [fetch(k, timeout=1) for k in keys]
        """,
        "fetch_all(['a', 'b'])", probes=("fetch_all([])",), covers=SAME,
    ),
    apply(
        "thread-pool-loop-variable-twice", T, "the key passed twice and inside an expression",
        """
        import time


        def pair(a, b):
            time.sleep(0.001)
            return a + b


        def pairs(keys):
            return {k: pair(k, k * 2) for k in keys}
        """,
        "pairs(['a', 'b', 'a'])", covers=SAME,
    ),
    apply(
        "thread-pool-prefetch-module-alias-of-urlopen", T, "a module-level alias of urlopen is urlopen: file:// "
        "URLs read in order, a missing one raises URLError where the loop would",
        """
        import urllib.request
        from urllib.error import URLError

        get = urllib.request.urlopen


        def bodies(urls):
            out = []
            for u in urls:
                try:
                    out.append(get(f"file://{u}").read())
                except URLError:
                    out.append(b"")
            return out
        """,
        "bodies([os.path.abspath(p) for p in paths] + ['/nonexistent/x'])", setup=FILES,
        covers=IO,
    ),
    apply(
        "thread-pool-prefetch-path-read-text", T, "a file read per item (pathlib), a missing file becomes None",
        """
        import pathlib


        def texts(paths):
            out = {}
            for p in paths:
                try:
                    out[p] = pathlib.Path(p).read_text()
                except FileNotFoundError:
                    out[p] = None
            return out
        """,
        "texts(paths + ['/nonexistent/y'])", setup=FILES, covers=IO,
    ),
    apply(
        "thread-pool-prefetch-loop-variable-after-loop", T, "the loop variable is read after the loop: the prefetch "
        "loop still binds it",
        LOOKUP + """

        def last(keys):
            seen = []
            for k in keys:
                try:
                    seen.append(lookup(k))
                except URLError:
                    pass
            return seen, k
        """,
        "last(['a', 'bad', 'b'])", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-return-in-body", T, "first success over mirrors: the loop stops at the first answer; "
        "made ahead, every mirror would be asked",
        LOOKUP + """

        def first(keys):
            for k in keys:
                try:
                    return lookup(k)
                except URLError:
                    continue
            return None
        """,
        "first(['bad', 'a', 'b'])", reason=r"has a `return`", covers=EVERY,
    ),
    refuse(
        "thread-pool-prefetch-break-in-body", T, "stop at the first failure: the items after it are never asked",
        LOOKUP + """

        def until_failure(keys):
            out = []
            for k in keys:
                try:
                    out.append(lookup(k))
                except URLError:
                    break
            return out
        """,
        "until_failure(['a', 'bad', 'b'])", reason=r"has a `break`", covers=EVERY,
    ),
    refuse(
        "thread-pool-prefetch-call-under-if", T, "only some items are looked up",
        LOOKUP + """

        def some(keys):
            out = []
            for k in keys:
                if k != "skip":
                    try:
                        out.append(lookup(k))
                    except URLError:
                        pass
            return out
        """,
        "some(['a', 'skip', 'b'])", reason=r"only on some passes \(it is under an `if`\)", covers=EVERY,
    ),
    refuse(
        "thread-pool-prefetch-continue-before-call", T, "a `continue` before the call skips it for some items",
        LOOKUP + """

        def some(keys):
            out = []
            for k in keys:
                if not k:
                    continue
                try:
                    out.append(lookup(k))
                except URLError:
                    pass
            return out
        """,
        "some(['a', '', 'b'])", reason=r"after a `continue`", covers=EVERY,
    ),
    refuse(
        "thread-pool-prefetch-call-inside-lock", T, "the call is made under a lock: ahead of time it would run "
        "outside it",
        LOOKUP + """
        import threading

        LOCK = threading.Lock()


        def locked(keys):
            out = []
            for k in keys:
                with LOCK:
                    try:
                        out.append(lookup(k))
                    except URLError:
                        pass
            return out
        """,
        "locked(['a', 'b'])", reason=r"inside `with LOCK`", covers=EVERY,
    ),
    refuse(
        "thread-pool-prefetch-comprehension-if", T, "a comprehension's `if` picks the items that are looked up",
        LOOKUP + """

        def some(keys):
            return {k: lookup(k) for k in keys if k != "bad"}
        """,
        "some(['a', 'bad', 'b'])", reason=r"has an `if`", covers=EVERY,
    ),
    refuse(
        "thread-pool-prefetch-body-changes-argument", T, "the body bumps a counter in a dict the call reads: made "
        "ahead, every call sees the first value",
        """
        import time


        def stamp(key, state):
            time.sleep(0.001)
            return (key, state["n"])


        def stamp_all(keys, state):
            out = []
            for k in keys:
                try:
                    out.append(stamp(k, state))
                except KeyError:
                    pass
                state["n"] += 1
            return out
        """,
        "stamp_all(['a', 'b', 'c'], box)", setup="box = {'n': 0}", probes=("box",),
        reason=r"changes `state`|state\[", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-name-rebound-in-loop", T, "the page number changes every pass",
        """
        import time


        def page(key, number):
            time.sleep(0.001)
            return (key, number)


        def pages(keys):
            out = []
            number = 0
            for k in keys:
                try:
                    out.append(page(k, number))
                except KeyError:
                    pass
                number += 1
            return out
        """,
        "pages(['a', 'b', 'c'])", reason=r"`number` is rebound in the loop", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-loop-variable-rebound", T, "the key is normalised before the call",
        LOOKUP + """

        def clean(keys):
            out = []
            for k in keys:
                k = k.strip()
                try:
                    out.append(lookup(k))
                except URLError:
                    pass
            return out
        """,
        "clean([' a', 'b '])", reason=r"loop variable `k` is rebound", covers=(SAME, VARIABLE),
    ),
    refuse(
        "thread-pool-prefetch-body-writes-what-the-call-reads", T, "each pass writes the file the next pass reads",
        """
        def read(path):
            with open(path) as handle:
                return handle.read()


        def chain(paths):
            out = []
            for p in paths:
                try:
                    text = read(p)
                except FileNotFoundError:
                    text = "missing"
                out.append(text)
                with open(p + ".next", "w") as handle:
                    handle.write(text)
            return out
        """,
        "chain(['data/a', 'data/a.next', 'data/a.next.next'])", setup=FILES,
        reason=r"opens a file for writing.*could read|writes files.*could read", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-sleep-between-calls", T, "rate limiting: the body waits between calls",
        LOOKUP + """

        def polite(keys):
            out = []
            for k in keys:
                try:
                    out.append(lookup(k))
                except URLError:
                    pass
                time.sleep(0.001)
            return out
        """,
        "polite(['a', 'b'])", reason=r"waits .*time\.sleep", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-clock-argument", T, "an argument read from the clock: ahead of time it reads another "
        "value",
        """
        import time


        def fetch(key, when):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            out = []
            for k in keys:
                try:
                    out.append(fetch(k, time.monotonic()))
                except KeyError:
                    pass
            return out
        """,
        "fetch_all(['a', 'b'])", reason=r"reads the clock", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-open-file-per-item", T, "the call returns an open file: made ahead, one per item "
        "would be open at once",
        """
        def heads(paths):
            out = []
            for p in paths:
                try:
                    handle = open(p)
                except OSError:
                    continue
                out.append(handle.read(1))
                handle.close()
            return out
        """,
        "heads(paths)", setup=FILES, reason=r"open file or connection", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-body-calls-recorder", T, "the body records each key in a module list that the call "
        "reads",
        """
        import time

        SEEN = []


        def fetch(key):
            time.sleep(0.001)
            return (key, len(SEEN))


        def record(key):
            SEEN.append(key)


        def fetch_all(keys):
            out = []
            for k in keys:
                try:
                    out.append(fetch(k))
                except KeyError:
                    pass
                record(k)
            return out
        """,
        "fetch_all(['a', 'b', 'c'])", reason=r"calls record, which .*SEEN", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-work-queue", T, "the body appends follow-up keys to the list being iterated",
        LOOKUP + """

        def crawl(keys):
            out = []
            for k in keys:
                try:
                    out.append(lookup(k))
                except URLError:
                    keys.append("a" + k)
            return out
        """,
        "crawl(_keys)", setup="_keys = ['a', 'bad1']", reason=r"changes `keys`", covers=SAME,
    ),
    apply(
        "thread-pool-prefetch-tuple-target-enumerate", T, "`for i, k in enumerate(keys)`: the pairs are unpacked into "
        "the call on the worker, and by the loop target as before",
        LOOKUP + """

        def numbered(keys):
            out = []
            for i, k in enumerate(keys):
                try:
                    out.append((i, lookup(k)))
                except URLError:
                    out.append((i, None))
            return out
        """,
        "numbered(['a', 'bad', 'bb'])", probes=("numbered([])",), covers=VARIABLE,
    ),
    apply(
        "thread-pool-prefetch-dict-items", T, "`for name, key in table.items()`: a dict's items made ahead, in order",
        LOOKUP + """

        def resolve(names):
            table = {}
            for name in names:
                table[name] = name * 2
            found = {}
            for name, key in table.items():
                try:
                    found[name] = lookup(key)
                except URLError:
                    found[name] = None
            return found
        """,
        "resolve(['a', 'bad', 'c'])", covers=VARIABLE,
    ),
    refuse(
        "thread-pool-prefetch-nested-tuple-target", T, "a nested target (not handled: the call would need the "
        "unpacking done ahead of time)",
        LOOKUP + """

        def second(pairs):
            out = []
            for i, (name, key) in enumerate(pairs):
                try:
                    out.append((i, name, lookup(key)))
                except URLError:
                    pass
            return out
        """,
        "second([('n', 'a'), ('m', 'bad')])", reason=r"not a name or a flat tuple of names", covers=VARIABLE,
    ),
    refuse(
        "thread-pool-prefetch-dict-changed-while-iterated", T, "the body adds to the dict whose items are iterated: "
        "the loop raises RuntimeError, items made ahead would not",
        LOOKUP + """

        def grow(table):
            found = []
            for name, key in table.items():
                try:
                    found.append(lookup(key))
                except URLError:
                    table[name + "!"] = "a"
            return found
        """,
        "grow(box)", setup="box = {'x': 'a', 'y': 'bad'}", probes=("box",), reason=r"changes `table`",
        covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-name-rebound-by-closure", T, "a nested function bumps the page number through "
        "`nonlocal`, and the loop calls it",
        """
        import time


        def page(key, number):
            time.sleep(0.001)
            return (key, number)


        def pages(keys):
            number = 0

            def bump():
                nonlocal number
                number += 1

            out = []
            for k in keys:
                try:
                    out.append(page(k, number))
                except KeyError:
                    pass
                bump()
            return out
        """,
        "pages(['a', 'b', 'c'])", reason=r"`number` is rebound by a nested function", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-global-rebound-in-body", T, "the function rebinds a module global that the callee "
        "reads, between calls",
        """
        import time

        TOKEN = 0


        def fetch(key):
            time.sleep(0.001)
            return (key, TOKEN)


        def fetch_all(keys):
            global TOKEN
            out = []
            for k in keys:
                try:
                    out.append(fetch(k))
                except KeyError:
                    pass
                TOKEN = TOKEN + 1
            return out
        """,
        "fetch_all(['a', 'b', 'c'])", probes=("TOKEN",), reason=r"rebinds the module global `TOKEN`", covers=SAME,
    ),
    apply(
        "thread-pool-prefetch-url-computed-in-body", T, "the key is computed in the body before the call "
        "(`key = prefix + name`): the worker computes it again from the same values",
        LOOKUP + """

        def resolve(names, prefix):
            out = []
            for name in names:
                key = prefix + name
                try:
                    out.append((key, lookup(key)))
                except URLError as e:
                    out.append((key, str(e)))
            return out, key
        """,
        "resolve(['a', 'd', 'b'], 'ba')", probes=("resolve(['x'], '')",), covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-computed-from-the-clock", T, "the value passed is computed in the body from the clock: "
        "the worker would read another time",
        """
        import time


        def fetch(key, when):
            time.sleep(0.001)
            return (key, when > 0)


        def fetch_all(keys):
            out = []
            for k in keys:
                when = time.monotonic()
                try:
                    out.append(fetch(k, when))
                except KeyError:
                    pass
            return out
        """,
        "fetch_all(['a', 'b'])", reason=r"`when` is rebound in the loop", covers=SAME,
    ),
    refuse(
        "thread-pool-prefetch-generator-loop", T, "a generator can be closed after any item: calls made ahead for "
        "later items would be calls it never makes",
        LOOKUP + """

        def answers(keys):
            for k in keys:
                try:
                    yield lookup(k)
                except URLError:
                    yield None
        """,
        "next(answers(['a', 'b']))", reason=r"has a `yield`", covers=EVERY,
    ),
)

CASES += PREFETCH_CASES

# --- the exact-type guard (map form) ----------------------------------------------------------------------
GUARD = "exact-type guard"
LEVEL = """
        import time
        import zlib


        def level(sku: str) -> int:
            time.sleep(0.001)
            return zlib.crc32(sku.encode()) % 50
"""
# a str whose encode tells which thread called it: on a worker thread, the pool made the call
TRACED = """
import threading
seen = []


class Traced(str):
    def encode(self, *args, **kwargs):
        seen.append(threading.current_thread().name)
        return str.encode(self, *args, **kwargs)


class Spy(dict):
    def get(self, key, default=None):
        seen.append(threading.current_thread().name)
        return dict.get(self, key, default)


class Logged(list):
    def __iter__(self):
        seen.append("iterated")
        return list.__iter__(self)
"""

GUARD_CASES = (
    apply(
        "thread-pool-guard-str-subclass-runs-the-loop", T, "items that are a str subclass with its own encode: the "
        "guard sends them to the original loop, on the calling thread",
        LEVEL + """

        def levels(skus: list[str]) -> list[int]:
            out = []
            for sku in skus:
                out.append(level(sku))
            return out
        """,
        "levels([Traced('a'), Traced('b'), Traced('c')])", setup=TRACED,
        probes=("seen", "levels(['a', 'b', 'c'])", "levels([])", "levels(['a', Traced('b')])", "seen"),
        covers=GUARD,
    ),
    apply(
        "thread-pool-guard-list-subclass-runs-the-loop", T, "a list subclass whose __iter__ runs code: the guard "
        "does not iterate it (its type is tested first), the original loop does, once",
        LEVEL + """

        def levels(skus: tuple[str, ...]) -> list[int]:
            return [level(sku) for sku in skus]
        """,
        "levels(Logged(['a', 'b']))", setup=TRACED, probes=("seen", "levels(('a', 'b'))", "levels(['a'])", "seen"),
        covers=GUARD,
    ),
    apply(
        "thread-pool-guard-unknown-container-generator-untouched", T, "a container of unknown type given a "
        "generator that logs each item: the guard's type test fails before anything iterates it, and the "
        "original loop consumes it one call at a time",
        LEVEL + """

        def levels(skus):
            out = []
            for sku in skus:
                out.append(level(sku))
            return out
        """,
        "levels(seen.append(x) or x for x in ['a', 'b'])", setup=TRACED,
        probes=("seen", "levels(['a', 'b'])", "levels(('a',))", "levels([Traced('c')])", "levels({'d'})", "seen"),
        covers=GUARD,
    ),
    refuse(
        "thread-pool-guard-untestable-extra-argument", T, "a dict subclass passed as an annotated extra argument: "
        "no exact test exists for a dict, so its get would run on worker threads",
        """
        import time
        import zlib


        def level(sku: str, table: dict) -> int:
            time.sleep(0.001)
            return table.get(zlib.crc32(sku.encode()) % 5, 0)


        def levels(skus: list[str], table: dict) -> list[int]:
            out = []
            for sku in skus:
                out.append(level(sku, table))
            return out
        """,
        "levels(['a', 'b', 'c'], Spy({1: 2}))", setup=TRACED, probes="seen",
        reason=r"calls unknown method (sku\.encode|table\.get)", covers=GUARD,
    ),
    refuse(
        "thread-pool-guard-global-container", T, "a module list of str subclasses: a module name is not tested "
        "by a guard (it may be rebound between the test and the loop), so the subclass's encode would run on "
        "worker threads",
        LEVEL + """

        SKUS: list[str] = []


        def levels() -> list[int]:
            out = []
            for sku in SKUS:
                out.append(level(sku))
            return out
        """,
        "mod.SKUS.extend([Traced('a'), Traced('b')]) or levels()", setup=TRACED, probes="seen",
        reason=r"calls unknown method sku\.encode", covers=GUARD,
    ),
)

CASES += GUARD_CASES

