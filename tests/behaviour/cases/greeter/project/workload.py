import os

import greeter


def run() -> int:
    """Greet a few users while an operator switches the greeting; report how many were sent."""
    greeter.greet("ann")
    os.environ["APP_GREETING"] = "Good morning"
    greeter.greet("bob")
    del os.environ["APP_GREETING"]
    greeter.greet("cy")
    return len(greeter.SENT)
