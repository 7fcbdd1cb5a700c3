"""Error taxonomy: what stops the run, what fails one task, and what only rejects a record.

- `ConfigError` / `InputError` (fatal, before any work): bad flags, unknown step, missing input; the CLI prints
  one line and exits with status 2.
- `TaskError`: a task could not complete (its worker died, its output could not be written); the executor retries
  it a bounded number of times, then the run fails with the task named, and `--resume` picks it up.
- Bad records never raise: readers and steps turn them into rejected documents with a reason.
"""

from __future__ import annotations


class SitoError(Exception):
    """Base class of sito's own errors; the CLI prints their message on one line."""


class ConfigError(SitoError, ValueError):
    """The configuration or the command line is wrong; nothing has been processed."""


class TaskError(SitoError):
    """A task failed as a whole (worker crash, unwritable output)."""
