"""``tasklog``: a small command-line time tracker.

    tasklog add "write report" 45 --tag docs
    tasklog list [--tag docs]
    tasklog summary

Entries live in memory (``LOG``) for the life of the process. Every command prints to stdout;
``main(argv)`` returns the exit code.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

WIDTH = 60


@dataclass(frozen=True)
class Entry:
    title: str
    minutes: int
    tag: str


LOG: list[Entry] = []


def banner(title: str) -> str:
    """Print a title between rules; also return the printed text."""
    rule = "=" * WIDTH
    text = f"{rule}\n{title.upper().center(WIDTH)}\n{rule}"
    print(text)
    return text


def duration(minutes: int) -> str:
    """``135`` -> ``"2h15"``, ``45`` -> ``"45m"``."""
    if minutes < 0:
        raise ValueError(f"negative duration: {minutes}")
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if hours else f"{rest}m"


def row(title: str, minutes: int, tag: str) -> str:
    return f"{title[:36]:<36} {duration(minutes):>8}  #{tag}"


def table(entries: list[Entry]) -> str:
    text = ""
    for entry in entries:
        text += row(entry.title, entry.minutes, entry.tag) + "\n"
    return text


def tags(entries: list[Entry]) -> list[str]:
    found = []
    for entry in entries:
        if entry.tag not in found:
            found.append(entry.tag)
    return found


def totals(entries: list[Entry]) -> list[tuple[str, int]]:
    per_tag = []
    for tag in tags(entries):
        per_tag.append((tag, sum(e.minutes for e in entries if e.tag == tag)))
    return per_tag


def warn(message: str) -> None:
    print(f"warning: {message}")


def command_add(args: argparse.Namespace) -> int:
    if args.minutes <= 0:
        warn(f"ignored {args.title!r}: minutes must be positive")
        return 1
    LOG.append(Entry(args.title, args.minutes, args.tag))
    print(f"added {row(args.title, args.minutes, args.tag)}")
    return 0


def command_list(args: argparse.Namespace) -> int:
    shown = [e for e in LOG if args.tag in (None, e.tag)]
    banner(f"{len(shown)} entries")
    print(table(shown), end="")
    return 0


def command_summary(args: argparse.Namespace) -> int:
    banner("summary")
    for tag, minutes in totals(LOG):
        print(f"#{tag:<20}{duration(minutes):>10}")
    print(f"{'total':<21}{duration(sum(e.minutes for e in LOG)):>10}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tasklog")
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add")
    add.add_argument("title")
    add.add_argument("minutes", type=int)
    add.add_argument("--tag", default="misc")
    add.set_defaults(func=command_add)
    listing = sub.add_parser("list")
    listing.add_argument("--tag")
    listing.set_defaults(func=command_list)
    sub.add_parser("summary").set_defaults(func=command_summary)
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
