"""An installer's use of packaging.markers: evaluate the environment markers of a lock file."""

from __future__ import annotations

from packaging.markers import Marker

MARKERS = [Marker(m) for m in (
    'python_version >= "3.8"', 'sys_platform == "win32"', 'platform_machine == "x86_64" and python_version < "3.13"',
    'implementation_name == "cpython" or os_name == "nt"', 'extra == "test"', 'python_full_version >= "3.11.2"')]


def run() -> list[bool]:
    out = []
    for i in range(400):
        for m in MARKERS:
            out.append(m.evaluate())
            out.append(m.evaluate({"extra": "test"}))
    return out
