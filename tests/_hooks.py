"""Load a file of ``hooks/`` as a module, fresh each time (the hooks keep module state)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

HOOKS = Path(__file__).resolve().parent.parent / "hooks"


def load_hook(name: str) -> ModuleType:
    """A new module object for ``hooks/<name>.py``."""
    spec = importlib.util.spec_from_file_location(f"{name}_hook", HOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
