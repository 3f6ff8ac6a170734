"""Run a page's block in the reader's browser (Pyodide) and catch what it prints.

``docs/javascripts/runner/runner.js`` writes this file into Pyodide's file system beside the
book's ``backprop_book`` package and calls ``run``: the earlier blocks of the same
markdown-exec session first (their output dropped, as the build had already shown it), then the
block itself. An exception becomes the Python traceback in the output, starting at the reader's
code, as the build would have reported it.

A lab notebook's cells draw their figures with ``IPython.display``'s ``display(SVG(...))``.
Pyodide has no IPython, so where it cannot be imported this file puts a small stand-in in its
place: ``display`` prints the object's SVG (or HTML) markup, which the page then draws, as
Jupyter would have drawn it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import traceback
import types

last_namespace: dict = {}  # the namespace of the last run, for the exercise checks


class SVG:
    """IPython.display.SVG's part that the labs use: an SVG document given as text."""

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_svg_(self) -> str:
        return self.data


class HTML:
    """IPython.display.HTML's part that the labs use: markup given as text."""

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


def display(*objects: object) -> None:
    """Print each object as the page should draw it: its SVG or HTML markup, else ``repr``."""
    for obj in objects:
        for method in ("_repr_svg_", "_repr_html_"):
            markup = getattr(obj, method, None)
            if callable(markup):
                print(markup())
                break
        else:
            print(repr(obj))


def display_module() -> types.ModuleType:
    """A module ``IPython.display`` with ``display``, ``SVG`` and ``HTML`` (the labs' imports)."""
    module = types.ModuleType("IPython.display", "The book's stand-in for IPython.display.")
    module.display, module.SVG, module.HTML = display, SVG, HTML
    return module


def install_display() -> bool:
    """Make ``from IPython.display import SVG, display`` work where IPython is not installed.

    Returns whether the stand-in was installed (never over a real IPython).
    """
    if "IPython" in sys.modules or importlib.util.find_spec("IPython") is not None:
        return False
    package = types.ModuleType("IPython", "The book's stand-in for IPython (display only).")
    package.display = display_module()
    package.__path__ = []  # a package, so that `import IPython.display` finds the submodule
    sys.modules["IPython"], sys.modules["IPython.display"] = package, package.display
    return True


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


install_display()
