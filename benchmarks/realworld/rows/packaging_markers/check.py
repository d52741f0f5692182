"""Extra check for packaging.markers: an explicit environment must not leak into later evaluations.

``Marker.evaluate`` updates the dict that ``default_environment()`` returns with the caller's
environment. Cached naively, that dict is shared: after ``evaluate({"python_version": "2.7"})``
every later ``evaluate()`` of this process believes it runs on Python 2.7.
"""

from packaging.markers import Marker, default_environment

marker = Marker('python_version >= "3"')
assert marker.evaluate() is True
assert marker.evaluate({"python_version": "2.7"}) is False
assert marker.evaluate() is True, "an earlier explicit environment leaked into evaluate()"
assert default_environment()["python_version"] != "2.7"
assert "extra" not in default_environment(), "default_environment() returned a dict someone changed"
print("ok")
