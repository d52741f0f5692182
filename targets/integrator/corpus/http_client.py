"""A small HTTP client on top of urllib with JSON helpers and retries."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class HttpError(Exception):
    def __init__(self, status: int, url: str, body: str) -> None:
        super().__init__(f"{status} for {url}")
        self.status = status
        self.url = url
        self.body = body


def build_url(base: str, path: str, params: dict[str, str] | None = None) -> str:
    url = base.rstrip("/") + "/" + path.lstrip("/")
    if params:
        query = urllib.parse.urlencode(sorted(params.items()))
        url = f"{url}?{query}"
    return url


def request(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def request_with_retries(method: str, url: str, attempts: int = 3, backoff: float = 0.5,
                         **kwargs: object) -> tuple[int, bytes]:
    delay = backoff
    for attempt in range(attempts):
        try:
            status, payload = request(method, url, **kwargs)
        except (urllib.error.URLError, TimeoutError):
            if attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay *= 2
            continue
        if status in RETRY_STATUSES and attempt < attempts - 1:
            time.sleep(delay)
            delay *= 2
            continue
        return status, payload
    raise RuntimeError("unreachable")


def get_json(url: str, params: dict[str, str] | None = None) -> object:
    full = build_url(url, "", params) if params else url
    status, payload = request_with_retries("GET", full, headers={"Accept": "application/json"})
    if status >= 400:
        raise HttpError(status, full, payload.decode("utf-8", "replace"))
    return json.loads(payload or b"null")


def post_json(url: str, document: object) -> object:
    body = json.dumps(document).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    status, payload = request_with_retries("POST", url, body=body, headers=headers)
    if status >= 400:
        raise HttpError(status, url, payload.decode("utf-8", "replace"))
    return json.loads(payload or b"null")


def paginate(url: str, page_size: int = 100) -> list[object]:
    items: list[object] = []
    page = 1
    while True:
        chunk = get_json(url, {"page": str(page), "per_page": str(page_size)})
        if not isinstance(chunk, list) or not chunk:
            break
        items.extend(chunk)
        if len(chunk) < page_size:
            break
        page += 1
    return items


def download(url: str, destination: str, chunk_size: int = 65536) -> int:
    written = 0
    with urllib.request.urlopen(url, timeout=DEFAULT_TIMEOUT) as response, open(destination, "wb") as out:
        while True:
            chunk = response.read(chunk_size)
            if not chunk:
                break
            out.write(chunk)
            written += len(chunk)
    return written
