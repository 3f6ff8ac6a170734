"""Run a page's block in the reader's browser (Pyodide) and catch what it prints.

``docs/javascripts/runner/runner.js`` writes this file into Pyodide's file system beside the
book's ``backprop_book`` package and calls ``run``: the earlier blocks of the same
markdown-exec session first (their output dropped, as the build had already shown it), then the
block itself. An exception becomes the Python traceback in the output, starting at the reader's
code, as the build would have reported it.
"""

from __future__ import annotations

import contextlib
import io
import traceback

last_namespace: dict = {}  # the namespace of the last run, for the exercise checks


def _traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` without the frames of this file."""
    report = traceback.TracebackException.from_exception(exc)
    frames = list(report.stack)
    while frames and frames[0].filename == __file__:
        frames.pop(0)
    report.stack = traceback.StackSummary.from_list(frames)
    return "".join(report.format())


def run(before: list[str], code: str) -> str:
    """Run the blocks ``before`` silently, then ``code``; return what ``code`` printed."""
    global last_namespace
    namespace: dict = {"__name__": "__main__"}
    last_namespace = namespace
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            for number, block in enumerate(before, start=1):
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(block, f"<earlier block {number}>", "exec"), namespace)
            exec(compile(code, "<your code>", "exec"), namespace)
        except BaseException as exc:  # the reader's error, shown as Python shows it
            out.write(_traceback(exc))
    return out.getvalue()
