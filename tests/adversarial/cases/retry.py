"""retry: ``f(a)`` becomes ``_evolver_retry(f, a)``, re-calling f on a transient exception."""

from __future__ import annotations

from ..case import apply, refuse

T = "retry"
IDEMPOTENT = "proven idempotent"
EVIDENCE = "evidence of transient failures"
RECEIVER = "receiver's class is known"
SHAPE = "not async and not a generator"
NAMES = "exception names resolve"

# A local server on 127.0.0.1 that records every request (its first line and body) in `received`
# and then drops the connection without a reply (a transient failure for the client), or, with
# `answer = True` set before the call, answers HTTP 200 "ok" (raw lines get "ok\n").
SERVER = """
import re as _re, socket as _socket, threading as _threading
received = []
answer = False
_listener = _socket.socket()
_listener.bind(("127.0.0.1", 0))
_listener.listen(16)
_port = _listener.getsockname()[1]  # random: left out of the snapshot

def _complete(data):
    if not data.startswith((b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"PATCH")):
        return data.endswith(b"\\n")
    head, sep, body = data.partition(b"\\r\\n\\r\\n")
    length = _re.search(rb"(?i)content-length: *(\\d+)", head)
    return bool(sep) and len(body) >= (int(length.group(1)) if length else 0)

def _serve():
    while True:
        conn, _ = _listener.accept()
        with conn:
            data = b""
            conn.settimeout(10)
            try:
                while not _complete(data):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            head, _, body = data.partition(b"\\r\\n\\r\\n")
            received.append((head.split(b"\\r\\n")[0] + b" " + body).decode())
            if answer and data.startswith(b"GET"):
                conn.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")
            elif answer:
                conn.sendall(b"ok\\n")

_threading.Thread(target=_serve, daemon=True).start()
"""

CASES = (
    # --- writes a retry would repeat ----------------------------------------------------------------
    refuse(
        "retry-socket-sendall-on-fresh-connection", T, "a charge sent with sendall on a socket it opens: a "
        "dropped reply makes the retry charge again",
        """
        import socket


        def charge(port, amount):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(f"charge {amount}\\n".encode())
                if not conn.recv(16):
                    raise ConnectionError("no receipt")


        def pay(port):
            return charge(port, 5)
        """,
        "pay(_port)", setup=SERVER, probes="sorted(received)",
        reason=r"sendall|sends|writes", covers=IDEMPOTENT, site="pay",
    ),
    refuse(
        "retry-request-data-set-after-construction", T, "Request(url) looks like a GET, then .data makes it a "
        "POST",
        """
        import urllib.request


        def charge(port, body):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/charge")
            req.data = body
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.read()


        def pay(port):
            return charge(port, b"amount=5")
        """,
        "pay(_port)", setup=SERVER, probes="sorted(received)",
        reason=r"sends|data|state-changing", covers=IDEMPOTENT, site="pay",
    ),
    refuse(
        "retry-request-method-set-after-construction", T, "Request(url) then .method = 'DELETE'",
        """
        import urllib.request


        def remove(port, item):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/items/{item}")
            req.method = "DELETE"
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status


        def clean(port):
            return remove(port, 7)
        """,
        "clean(_port)", setup=SERVER, probes="sorted(received)",
        reason=r"method|sends|state-changing", covers=IDEMPOTENT, site="clean",
    ),
    refuse(
        "retry-http-client-putrequest-post", T, "http.client's low-level putrequest('POST') and endheaders(body)",
        """
        import http.client


        def post(port, body):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.putrequest("POST", "/orders")
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            return conn.getresponse().status


        def order(port):
            return post(port, b"book")
        """,
        "order(_port)", setup=SERVER, probes="sorted(received)",
        reason=r"POST|putrequest|sends|state-changing", covers=IDEMPOTENT, site="order",
    ),
    refuse(
        "retry-urlopen-with-data", T, "urlopen(url, data) is a POST",
        """
        import urllib.request


        def post(port, body):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/x", body, timeout=10) as resp:
                return resp.read()


        def send(port):
            return post(port, b"a=1")
        """,
        "send(_port)", setup=SERVER, probes="sorted(received)",
        reason=r"sends data", covers=IDEMPOTENT, site="send",
    ),
    refuse(
        "retry-http-request-method-from-parameter", T, "conn.request(method, ...) with a method chosen by the caller",
        """
        import http.client


        def call(port, method):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request(method, "/jobs")
            return conn.getresponse().status


        def submit(port):
            return call(port, "POST")
        """,
        "submit(_port)", setup=SERVER, probes="sorted(received)",
        reason=r"method is not GET/HEAD", covers=IDEMPOTENT, site="submit",
    ),
    refuse(
        "retry-heappush-on-argument", T, "heapq.heappush into the caller's queue, then the broker is down",
        """
        import heapq


        def enqueue(queue, job):
            heapq.heappush(queue, job)
            raise ConnectionError("broker down")


        def submit(queue):
            return enqueue(queue, "job-1")
        """,
        "submit(jobs)", setup="jobs = []", probes="jobs",
        reason=r"heappush|mutat|stores|queue", covers=IDEMPOTENT, site="submit",
    ),
    refuse(
        "retry-bisect-insort-on-argument", T, "bisect.insort into the caller's sorted log",
        """
        import bisect


        def record(log, stamp):
            bisect.insort(log, stamp)
            raise TimeoutError("replica slow")


        def run(log):
            return record(log, 3)
        """,
        "run(entries)", setup="entries = [1, 5]", probes="entries",
        reason=r"insort|mutat|stores|log", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-operator-iadd-on-argument", T, "operator.iadd extends the caller's list in place",
        """
        import operator


        def push(batch, item):
            operator.iadd(batch, [item])
            raise ConnectionError("reset")


        def run(batch):
            return push(batch, "x")
        """,
        "run(items)", setup="items = []", probes="items",
        reason=r"iadd|mutat|stores|batch", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-next-on-shared-iterator", T, "next() on the caller's iterator takes a token per attempt",
        """
        def use(tokens):
            token = next(tokens)
            raise TimeoutError(f"token {token} timed out")


        def run(tokens):
            return use(tokens)
        """,
        "run(_tokens)", setup="_tokens = iter(['a', 'b', 'c', 'd'])", probes="list(_tokens)",
        reason=r"next|iterator|consum", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-iterator-argument-consumed", T, "the first attempt drains an iterator argument; the retry sees it "
        "empty and succeeds with a wrong total",
        """
        def checksum(parts):
            total = 0
            for p in parts:
                total += len(p)
                if total > 5:
                    raise TimeoutError("checksum service slow")
            return total


        def run(data):
            return checksum(iter(data))
        """,
        "run(['abc', 'defg'])",
        reason=r"iterator|consum", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-setdefault-on-argument", T, "dict.setdefault writes the caller's cache",
        """
        def lookup(cache, key):
            cache.setdefault(key, 0)
            raise ConnectionError("dns")


        def run(cache):
            return lookup(cache, "k")
        """,
        "run(box)", setup="box = {}", probes="box",
        reason=r"setdefault", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-sort-argument-in-place", T, "list.sort reorders the caller's list before failing",
        """
        def publish(rows):
            rows.sort()
            raise TimeoutError("publish")


        def run(rows):
            return publish(rows)
        """,
        "run(data)", setup="data = [3, 1, 2]", probes="data",
        reason=r"rows\.sort", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-re-sub-callback-appends-global", T, "re.sub runs a callback that appends to a module list",
        """
        import re

        SEEN = []


        def note(match):
            SEEN.append(match.group(0))
            return "*"


        def scrub(text):
            out = re.sub(r"\\d", note, text)
            raise ConnectionError(out)


        def run(text):
            return scrub(text)
        """,
        "run('a1b2')", probes="list(SEEN)",
        reason=r"note|SEEN|not proven", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-prints", T, "a retried call prints its progress again",
        """
        def fetch(key):
            print("fetching", key)
            raise TimeoutError(key)


        def run(key):
            return fetch(key)
        """,
        "run('k')",
        reason=r"prints", covers=IDEMPOTENT, site="run",
    ),
    refuse(
        "retry-appends-to-file", T, "an append-mode file write repeated",
        """
        def log(path, line):
            with open(path, "a") as handle:
                handle.write(line)
            raise ConnectionError("sync")


        def run(path):
            return log(path, "x\\n")
        """,
        "run(path)", setup="path = 'log.txt'",
        probes="open(path).read()",
        reason=r"opens a file for writing", covers=IDEMPOTENT, site="run",
    ),
    # --- evidence, receivers, shape, names ------------------------------------------------------------
    refuse(
        "retry-declared-but-never-transient", T, "declared idempotent, but it only raises ValueError",
        """
        def parse(text):
            if not text:
                raise ValueError("empty")
            return int(text)


        def run(text):
            return parse(text)
        """,
        "run('')", idempotent=("victim:parse",),
        reason=r"no evidence of transient failures", covers=EVIDENCE, site="run",
    ),
    refuse(
        "retry-oserror-is-not-transient", T, "OSError is broader than the transient ones: a missing file is "
        "not retried",
        """
        def load(path):
            raise OSError(f"cannot read {path}")


        def run(path):
            return load(path)
        """,
        "run('p')", idempotent=("victim:load",),
        reason=r"no evidence of transient failures", covers=EVIDENCE, site="run",
    ),
    refuse(
        "retry-receiver-unknown", T, "obj.fetch(k) on an unannotated receiver may be any class's fetch",
        """
        class Client:
            def fetch(self, key):
                raise TimeoutError(key)


        def run(c, key):
            return c.fetch(key)
        """,
        "run(Client(), 'k')", idempotent=("victim:Client.fetch",),
        reason=r"cannot resolve the receiver's class", covers=RECEIVER, site="run",
    ),
    refuse(
        "retry-receiver-subclass-overrides-method", T, "c: Client is trusted, but the caller passes a subclass "
        "whose fetch charges before failing",
        """
        class Client:
            def fetch(self, key):
                raise TimeoutError(key)


        def run(c: Client, key):
            return c.fetch(key)
        """,
        "run(meter, 'k')", idempotent=("victim:Client.fetch",), probes="meter.charges",
        setup="""
        class Metered(Client):
            def __init__(self):
                self.charges = 0
            def fetch(self, key):
                self.charges += 1
                raise TimeoutError(key)
        meter = Metered()
        """,
        reason=r"subclass|receiver", covers=RECEIVER, site="run",
    ),
    refuse(
        "retry-receiver-bound-to-two-classes", T, "a local bound to Client() or Other() on different paths",
        """
        class Client:
            def fetch(self, key):
                raise TimeoutError(key)


        class Other:
            def fetch(self, key):
                raise TimeoutError(key)


        def run(flag, key):
            c = Client()
            if flag:
                c = Other()
            return c.fetch(key)
        """,
        "run(True, 'k')", idempotent=("victim:Client.fetch",),
        reason=r"cannot resolve the receiver's class", covers=RECEIVER, site="run",
    ),
    refuse(
        "retry-generator-callee", T, "the failure happens while the caller iterates, outside the retry",
        """
        def rows(n):
            for k in range(n):
                if k == 2:
                    raise ConnectionError("lost")
                yield k


        def run(n):
            return list(rows(n))
        """,
        "run(4)", idempotent=("victim:rows",),
        reason=r"is a generator", covers=SHAPE, site="run",
    ),
    refuse(
        "retry-async-callee", T, "an async callee: the helper would retry creating the coroutine, not the await",
        """
        import asyncio


        async def ping(host):
            raise ConnectionError(host)


        async def run(host):
            return await ping(host)


        def main(host):
            return asyncio.run(run(host))
        """,
        "main('h')", idempotent=("victim:ping",),
        reason=r"is async", covers=SHAPE, site="run",
    ),
    refuse(
        "retry-recursive-self-call", T, "a call inside the callee itself would nest retries",
        """
        def get(url, tries):
            if tries:
                return get(url, tries - 1)
            raise ConnectionError(url)
        """,
        "get('u', 2)",
        reason=r"inside the callee itself", covers=SHAPE, site="get",
    ),
    refuse(
        "retry-generator-expression-argument", T, "a generator expression argument is half consumed by a "
        "failed attempt",
        """
        def total(parts):
            s = 0
            for p in parts:
                s += p
                if s > 3:
                    raise TimeoutError("slow")
            return s


        def run(xs):
            return total(x for x in xs)
        """,
        "run([1, 2, 3])",
        reason=r"generator expression", covers=SHAPE, site="run",
    ),
    refuse(
        "retry-transient-name-undefined", T, "a configured transient exception the module does not define",
        """
        def fetch(key):
            raise ConnectionError(key)


        def run(key):
            return fetch(key)
        """,
        "run('k')", transient=("ConnectionError", "BrokerDown"),
        reason=r"BrokerDown is not defined in the module", covers=NAMES, site="run",
    ),
    refuse(
        "retry-module-rebinds-range", T, "the helper loops over range, which the module rebinds",
        """
        def range(n):
            return [0]


        def fetch(key):
            raise ConnectionError(key)


        def run(key):
            return fetch(key)
        """,
        "run('k')",
        reason=r"rebinds `range`", covers=NAMES, site="run",
    ),
    refuse(
        "retry-helper-name-taken", T, "the module already has an _evolver_retry of its own",
        """
        _evolver_retry = None


        def fetch(key):
            raise ConnectionError(key)


        def run(key):
            return fetch(key)
        """,
        "run('k')",
        reason=r"`_evolver_retry` is already bound", covers=NAMES, site="run",
    ),
    # --- sound edges ------------------------------------------------------------------------------------
    apply(
        "retry-get-answered", T, "a plain GET that succeeds: nothing may change",
        """
        import urllib.request


        def get(port, path):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as resp:
                return resp.read()


        def page(port):
            return get(port, "/index")
        """,
        "page(_port)", setup=SERVER + "answer = True\n", probes="sorted(received)", covers=IDEMPOTENT,
    ),
    apply(
        "retry-always-failing-reraises-same", T, "a call that always fails: the last attempt's exception is "
        "the same type and message",
        """
        def ping(host):
            raise ConnectionError(f"{host} unreachable")


        def check(host):
            return ping(host)
        """,
        "check('db')", covers=EVIDENCE,
    ),
    apply(
        "retry-arguments-evaluated-once", T, "the argument expression (a counter) runs once, before the first "
        "attempt",
        """
        import itertools

        TICKS = itertools.count()


        def fetch(n):
            raise TimeoutError(n)


        def run():
            return fetch(next(TICKS))
        """,
        "run()", probes=("next(TICKS)",), covers=SHAPE,
    ),
    apply(
        "retry-declared-method-with-keywords", T, "a declared idempotent method called with keywords through self",
        """
        class Store:
            def __init__(self):
                self.data = {"a": 1}

            def read(self, key, default=None):
                if key == "down":
                    raise TimeoutError(key)
                return self.data.get(key, default)

            def get_many(self, keys):
                return [self.read(k, default=0) for k in keys]
        """,
        "Store().get_many(['a', 'b'])", idempotent=("victim:Store.read",),
        probes="Store().get_many(['down'])", covers=RECEIVER,
    ),
)
