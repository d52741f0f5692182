"""Offline stand-in for PyPI (added for evolver's corpus, not part of pipreqs' sdist): the tests'
requests to pipreqs' default index go to the loopback stand-in of ``pypi_standin`` instead."""

from __future__ import annotations

import pytest
import requests

import pypi_standin

DEFAULT_INDEX = "https://pypi.python.org/pypi/"


@pytest.fixture(autouse=True, scope="session")
def _offline_index():
    base = pypi_standin.start(latency=0.005)
    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, str) and url.startswith(DEFAULT_INDEX):
            url = base + url[len(DEFAULT_INDEX):]
        return original(self, method, url, *args, **kwargs)

    requests.Session.request = request
    yield
    requests.Session.request = original
