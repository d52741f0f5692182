"""Formatting a report's first line."""


def banner(title: str, width: int = 40) -> str:
    return f" {title} ".center(width, "=")
