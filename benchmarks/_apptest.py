"""What the AppTest benchmarks share: the server's one compile per page, and a profile of the page runs."""

from __future__ import annotations

import cProfile
from collections.abc import Callable


def compile_once() -> None:
    """The server compiles each page once (its script cache); AppTest builds a new cache every run, which
    would add the compilation (~0.1 s a page) to every run timed."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    local_script_runner.ScriptCache = app_test.ScriptCache = lambda: shared  # type: ignore[assignment]


def profile_page_runs(prof: cProfile.Profile, on: Callable[[], bool]) -> None:
    """Profile the page runs (they happen in the script runner's thread, not the caller's) while ``on()``."""
    from streamlit.runtime.scriptrunner import script_runner

    run_script = script_runner.ScriptRunner._run_script

    def profiled(self, *a, **k):
        if on():
            prof.enable()
        try:
            return run_script(self, *a, **k)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script = profiled
