"""Workflow gate: zizmor (offline) finds nothing in the GitHub workflows, and would find a defect.

``make lint`` runs ``zizmor --offline`` on ``.github/workflows``. Here the same audit runs on a
copy of the workflows with two planted defects, an action pinned by tag instead of commit
hash and an untrusted pull-request title expanded inside a ``run:`` line, and must report
both; on the real workflows it must report nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = Path(sys.executable).with_name("zizmor")

_PLANTED_STEP = """
  planted:
    runs-on: ubuntu-latest
    steps:
      - name: Greet the pull request
        run: echo ${{ github.event.pull_request.title }}
"""


def zizmor_findings(workflows: Path) -> list[dict]:
    """zizmor's findings (offline, default persona) for a ``.github/workflows`` folder."""
    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--format", "json", str(workflows)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip(), f"zizmor printed nothing (exit {done.returncode}): {done.stderr}"
    return json.loads(done.stdout)


def _where(finding: dict) -> str:
    return Path(finding["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"]).name


def test_the_real_workflows_have_no_finding():
    findings = zizmor_findings(WORKFLOWS)
    assert findings == [], [(f["ident"], _where(f)) for f in findings]


def test_planted_defects_are_reported(tmp_path):
    copy = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, copy)
    ci = copy / "ci.yml"
    text = ci.read_text(encoding="utf-8")
    pinned = r"actions/checkout@[0-9a-f]{40}( # v[\d.]+)?"
    unpinned, n = re.subn(pinned, "actions/checkout@v4", text)
    assert n >= 1, "ci.yml has no hash-pinned actions/checkout to unpin"
    assert "\njobs:\n" in unpinned
    ci.write_text(unpinned.replace("\njobs:\n", "\njobs:" + _PLANTED_STEP, 1), encoding="utf-8")
    findings = {(f["ident"], _where(f)) for f in zizmor_findings(copy)}
    assert ("unpinned-uses", "ci.yml") in findings, findings
    assert ("template-injection", "ci.yml") in findings, findings
    assert all(where == "ci.yml" for _, where in findings), findings
