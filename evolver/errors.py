"""Errors that reach the user as one line and an exit code."""

from __future__ import annotations


class EvolverError(Exception):
    """Bad input or a refused operation: printed as one line, exit code 2."""

    exit_code = 2


class CheckFailed(EvolverError):
    """The command ran but a check failed or nothing was found: exit code 1."""

    exit_code = 1


class RunStopped(CheckFailed):
    """A run stopped from outside (a watch's stop request) before it measured anything: its
    session ends "interrupted", not "refused"."""
