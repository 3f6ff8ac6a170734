"""MkDocs hook: copy KaTeX from node_modules into the built site, so math renders offline.

KaTeX is installed at set-up from the npm registry at the version pinned in
``package-lock.json``; it is never committed. Only the files the pages load are copied:
the stylesheet and the woff2 fonts (the formulas are typeset at build time by
``hooks/katex_math.py``, so no KaTeX script is served).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KATEX = ROOT / "node_modules" / "katex" / "dist"
FILES = ["katex.min.css"]  # formulas are typeset at build time (hooks/katex_math.py)


def on_post_build(config, **kwargs):
    if not (KATEX / "katex.min.css").is_file():
        raise SystemExit(
            f"KaTeX is missing: looked in {KATEX}. Run `make setup` (it runs `npm ci`)."
        )
    out = Path(config["site_dir"]) / "assets" / "katex"
    for name in FILES:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(KATEX / name, out / name)
    (out / "fonts").mkdir(parents=True, exist_ok=True)
    for font in sorted((KATEX / "fonts").glob("*.woff2")):
        shutil.copyfile(font, out / "fonts" / font.name)
