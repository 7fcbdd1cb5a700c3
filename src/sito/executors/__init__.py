"""Executors: task planning, the per-task runner, and the local (process pool) and Ray back ends."""
