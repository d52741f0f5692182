# The cases are small projects of their own, run in evolver's sandbox: not evolver's tests.
collect_ignore_glob = ["*"]
