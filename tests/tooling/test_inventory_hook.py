"""hooks/inventory.py: objects.inv does not depend on the order the pages were converted in."""

from __future__ import annotations

import importlib
import io
import random

from mkdocstrings import Inventory, InventoryItem

from tests.helpers import load_hook


def _inventory(entries, extra=()):
    items = [
        InventoryItem(name, "py", role, uri, priority) for name, role, uri, priority in entries
    ]
    items += [InventoryItem(name, "py", role, uri, 2) for name, role, uri in extra]
    return Inventory(items, project="backprop_book", version="1.2.3").format_sphinx()


def _own(name, role, page):
    return (name, role, f"reference/{page}/#{name}", 1)


OWN = [
    _own("backprop_book.layers.affine.Affine", "class", "layers"),
    _own("backprop_book.layers.affine.Affine.forward", "method", "layers"),
    _own("backprop_book.models.block_base.Block", "class", "models"),
    _own("backprop_book.models.block_base.Block.from_config", "method", "models"),
    _own("backprop_book.models.dense.Dense", "class", "models"),
]
INHERITED = ("backprop_book.models.dense.Dense.from_config", "method", OWN[3][2])
PATHS = {
    "backprop_book.Affine": "backprop_book.layers.affine.Affine",
    "backprop_book.layers.Affine": "backprop_book.layers.affine.Affine",
    "backprop_book.Undocumented": "backprop_book.somewhere.Undocumented",
}


def _entries(data):
    return {
        name: (item.role, item.uri, item.priority)
        for name, item in Inventory.parse_sphinx(io.BytesIO(data)).items()
    }


def test_any_set_of_resolved_imports_gives_the_same_file():
    hook = load_hook("inventory")
    imports = [  # what griffe may have resolved, some of it, in some order
        ("backprop_book.Affine", "class", OWN[0][2]),
        ("backprop_book.models.dense.choice", "function", "reference/tools/#checks.choice"),
        ("backprop_book.deeper.conv_net.Affine", "class", OWN[0][2]),
    ]
    outputs = set()
    rng = random.Random(0)
    for _ in range(8):
        some = rng.sample(imports, rng.randint(0, len(imports)))
        outputs.add(hook.rewrite(_inventory(OWN, [INHERITED, *some]), PATHS))
    assert len(outputs) == 1
    entries = _entries(outputs.pop())
    for name, role, uri, priority in OWN:  # every documented object, unchanged
        assert entries[name] == (role, uri, priority)
    assert entries[INHERITED[0]] == (INHERITED[1], INHERITED[2], 2)  # a member from a base class
    target = "reference/layers/#backprop_book.layers.affine.Affine"
    assert entries["backprop_book.Affine"] == ("class", target, 2)  # public paths, always
    assert entries["backprop_book.layers.Affine"] == ("class", target, 2)
    assert "backprop_book.models.dense.choice" not in entries  # a module's own import, never
    assert "backprop_book.deeper.conv_net.Affine" not in entries
    assert "backprop_book.Undocumented" not in entries  # no page to point to


def test_the_header_is_kept():
    hook = load_hook("inventory")
    data = hook.rewrite(_inventory(OWN), {})
    assert data.splitlines()[:3] == [
        b"# Sphinx inventory version 2",
        b"# Project: backprop_book",
        b"# Version: 1.2.3",
    ]


def test_public_paths_come_from_the_packages_all():
    import backprop_book
    from backprop_book import layers

    paths = load_hook("inventory").public_paths()
    for name in backprop_book.__all__:
        obj = getattr(backprop_book, name)
        if hasattr(obj, "__qualname__"):
            assert paths[f"backprop_book.{name}"] == f"{obj.__module__}.{obj.__qualname__}"
    assert paths["backprop_book.layers.Affine"] == "backprop_book.layers.affine.Affine"
    for key in paths:
        module, _, name = key.rpartition(".")
        assert name in importlib.import_module(module).__all__
    assert layers.Affine is backprop_book.Affine
