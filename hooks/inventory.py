"""MkDocs hook: the same ``objects.inv`` from every build of one commit.

mkdocstrings writes ``objects.inv`` (the Sphinx inventory other projects link to) with each
documented object under its own path, and adds under lower priority every other path of it that
griffe has resolved by the time its heading is rendered. griffe resolves imports lazily, so that
second list depends on the order the pages were converted in; in a build the two editions share
the pages out (``hooks/edition_share.py``), the order changes from one build to the next and so
did the inventory (``backprop_book.models.dense.choice`` one time, not the next).

This hook rewrites the inventory after the build from what does not depend on the order:

- every object under its own path (mkdocstrings' first-priority entries), unchanged;
- every member a class shows from a base class (``Conv2D.from_config``), unchanged: it is
  rendered with the class itself;
- every public path of a documented object: ``module.name`` for each name in a module's
  ``__all__`` (``backprop_book.Affine``, ``backprop_book.layers.Affine``), read by importing the
  package. A name one module imports for its own use is not a path readers link to, and is left out.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from pathlib import Path
from types import ModuleType

from mkdocs.plugins import event_priority
from mkdocstrings import Inventory, InventoryItem

PACKAGE = "backprop_book"


def public_paths(package: str = PACKAGE) -> dict[str, str]:
    """Each public path ``module.name`` (from the modules' ``__all__``) -> the object's own path."""
    root = importlib.import_module(package)
    modules: list[ModuleType] = [root]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if not info.name.endswith(".__main__"):  # the command, not a module to import
            modules.append(importlib.import_module(info.name))
    paths: dict[str, str] = {}
    for module in modules:
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            home, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
            if home and qualname:
                paths[f"{module.__name__}.{name}"] = f"{home}.{qualname}"
    return paths


def rewrite(data: bytes, paths: dict[str, str]) -> bytes:
    """The inventory ``data`` with its lower-priority entries rebuilt from ``paths``."""
    header = b"".join(io.BytesIO(data).readlines()[:4])
    project, version = (
        line.split(b": ", 1)[1].strip().decode() for line in header.splitlines()[1:3]
    )
    found = Inventory.parse_sphinx(io.BytesIO(data))
    own = {name: item for name, item in found.items() if item.priority == 1}
    kept = Inventory(list(own.values()), project=project, version=version)
    for name, item in found.items():
        parent = name.rpartition(".")[0]
        if item.priority != 1 and own.get(parent) is not None and own[parent].role == "class":
            kept[name] = item  # a member shown with its class, from a base class
    for alias, target in sorted(paths.items()):
        item = own.get(target)
        if item is not None and alias not in kept:
            page = item.uri.partition("#")[0]
            kept[alias] = InventoryItem(
                alias, item.domain, item.role, f"{page}#{target}", priority=2
            )
    return kept.format_sphinx()


@event_priority(-100)  # after mkdocstrings has written the file
def on_post_build(config, **kwargs):
    path = Path(config["site_dir"]) / "objects.inv"
    if path.is_file():
        path.write_bytes(rewrite(path.read_bytes(), public_paths()))
