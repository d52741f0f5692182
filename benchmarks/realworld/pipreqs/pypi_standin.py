"""A stand-in for the PyPI JSON API (``GET /pypi/<project>/json``) on the loopback interface, so that
pipreqs' look-ups run offline over real HTTP, with a fixed delay per request like a package index
across a network. Written for evolver's corpus (not part of pipreqs).

The projects and versions below are stand-in data: what pipreqs reads from an answer is the project
name, its latest version and its URL; a name the index does not know gets a 404, as on PyPI.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROJECTS = {
    "analytics": "0.1.0", "analytics-python": "1.4.post1", "beautifulsoup4": "4.12.2", "boto": "2.49.0", "boto3": "1.26.118",
    "bs4": "0.0.1", "celery": "5.2.7", "click": "8.1.3", "docopt": "0.6.2", "flask": "2.3.1",
    "flask-seasurf": "1.1.1", "ipython": "8.12.0", "jinja2": "3.1.2", "lxml": "4.9.2", "markdown": "3.4.3",
    "nose": "1.3.7", "numpy": "1.24.3", "opencv-python": "4.7.0.72", "pandas": "2.0.1", "peewee": "3.16.2",
    "pillow": "9.5.0", "psycopg2": "2.9.6", "pydantic": "1.10.7", "pyflakes": "3.0.1", "pyjwt": "2.6.0",
    "pymongo": "4.3.3", "python-dateutil": "2.8.2", "python-dotenv": "1.0.0", "pyyaml": "6.0",
    "redis": "4.5.4", "requests": "2.29.0", "scikit-learn": "1.2.2", "scipy": "1.10.1",
    "sqlalchemy": "2.0.11", "ujson": "5.7.0",
}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _Handler(BaseHTTPRequestHandler):
    server: _Index

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        time.sleep(self.server.latency)
        parts = self.path.strip("/").split("/")
        name = normalize(parts[1]) if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json" else ""
        if name not in PROJECTS:
            self._send(404, b'{"message": "Not Found"}')
            return
        version = PROJECTS[name]
        info = {"name": name, "version": version, "package_url": f"https://pypi.org/project/{name}/",
                "summary": "", "author": "", "author_email": "", "home_page": ""}
        self._send(200, json.dumps({"info": info, "releases": {version: []}, "urls": []}).encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Index(ThreadingHTTPServer):
    daemon_threads = True
    latency = 0.0
    # A real index accepts many connections at once; socketserver's default backlog of 5 made 16
    # concurrent look-ups wait for SYN retransmits (about 1 s), so concurrent clients timed at random.
    request_queue_size = 128


def start(latency: float) -> str:
    """Serve the stand-in index from a daemon thread on a free loopback port; return its base URL
    (what pipreqs takes as ``--pypi-server``). It stops with the process."""
    server = _Index(("127.0.0.1", 0), _Handler)
    server.latency = latency
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/pypi/"
