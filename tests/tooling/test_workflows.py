"""Workflow gate: zizmor (offline) finds nothing in the GitHub workflows, and would find a defect.

``make lint`` runs ``zizmor --offline`` on ``.github/workflows``. Here the same audit runs on a
copy of the workflows with two planted defects, an action pinned by tag instead of commit
hash and an untrusted pull-request title expanded inside a ``run:`` line, and must report
both; on the real workflows it must report nothing.

The rest reads the workflows as YAML and checks what no audit knows about this project:
Pages deploys only the site that ``make test`` built and checked on the same run (deploy
needs the call of ci.yml that uploads it), a release runs only on a ``v*`` tag, after the
tag/version/CHANGELOG check, all of CI, the build with ``twine check`` and the smoke test
of the wheel, with ``id-token: write`` on the publish job alone, and every action is pinned
by a full commit hash with its version beside it, one hash per action. Each check is shown
to catch a planted defect in a copy of the real workflow.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

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


# --- What the workflows do, read as YAML -------------------------------------------------

CI_CALL = {"$/.github/workflows/ci.yml", "./.github/workflows/ci.yml"}
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _on(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    return {on: None} if isinstance(on, str) else dict(on)


def _needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job.get("steps", []) if "uses" in step]


def _upstream(jobs: dict, name: str) -> set[str]:
    """Every job that must succeed before ``name`` runs (its needs, their needs, ...)."""
    seen: set[str] = set()
    todo = _needs(jobs[name])
    while todo:
        need = todo.pop()
        if need not in seen:
            seen.add(need)
            todo.extend(_needs(jobs.get(need, {})))
    return seen


def pages_problems(pages: dict, ci: dict) -> list[str]:
    """Why Pages could deploy a site that did not pass ``make test`` ([] if it cannot)."""
    problems = []
    jobs = pages["jobs"]
    if "workflow_run" in _on(pages):
        problems.append("pages.yml runs on workflow_run: it would not run the tests itself")
    deploys = [n for n, job in jobs.items() if "actions/deploy-pages" in _uses(job)]
    if len(deploys) != 1:
        return [*problems, f"pages.yml has {len(deploys)} deploy jobs"]
    deploy = jobs[deploys[0]]
    tested = [
        n
        for n in _upstream(jobs, deploys[0])
        if jobs[n].get("uses") in CI_CALL and jobs[n].get("with", {}).get("publish-site") is True
    ]
    if not tested:
        problems.append("deploy does not need the call of ci.yml that uploads the tested site")
    if re.search(r"always\(\)|failure\(\)|cancelled\(\)", str(deploy.get("if", ""))):
        problems.append(f"deploy runs even when the tests did not pass: if: {deploy['if']}")
    for name, job in jobs.items():
        if "actions/upload-pages-artifact" in _uses(job):
            problems.append(f"pages.yml job {name} uploads a site of its own, not the tested one")
    if "workflow_call" not in _on(ci):
        problems.append("ci.yml cannot be called (no workflow_call)")
    if "github.workflow" not in ci.get("concurrency", {}).get("group", ""):
        problems.append("ci.yml's concurrency group ignores the caller: CI's push run cancels it")
    books = [job for job in ci["jobs"].values() if re.search(r"^make test\b", _runs(job), re.M)]
    if len(books) != 1:
        return [*problems, f"ci.yml has {len(books)} jobs that run make test"]
    steps = books[0]["steps"]
    order = [
        ("test" if re.match(r"make test\b", s.get("run", "")) else "upload", s)
        for s in steps
        if re.match(r"make test\b", s.get("run", ""))
        or s.get("uses", "").startswith("actions/upload-pages-artifact@")
    ]
    if [kind for kind, _ in order] != ["test", "upload"]:
        problems.append(f"ci.yml's make test job: {[k for k, _ in order]}, not test then upload")
    else:
        test_step, upload = order[0][1], order[1][1]
        if test_step.get("continue-on-error"):
            problems.append("a failing make test does not stop the job (continue-on-error)")
        if upload.get("if") != "inputs.publish-site":
            problems.append(f"the site is uploaded on if: {upload.get('if')!r}")
        if upload.get("with", {}).get("path") != "site/":
            problems.append("the uploaded path is not the site/ that make test built")
    return problems


def release_problems(release: dict) -> list[str]:
    """Why a release could publish something unchecked or with too much power ([] if not)."""
    problems = []
    if _on(release) != {"push": {"tags": ["v*"]}}:
        problems.append(f"release.yml runs on {_on(release)}, not only on a pushed v* tag")
    if release.get("permissions") != {}:
        problems.append(f"release.yml's default permissions: {release.get('permissions')}")
    jobs = release["jobs"]
    publishers = [n for n, job in jobs.items() if "pypa/gh-action-pypi-publish" in _uses(job)]
    for name, job in jobs.items():
        if "id-token" in (job.get("permissions") or {}) and name not in publishers:
            problems.append(f"job {name} may ask for an OIDC token but does not publish")
        if "permissions" not in job:
            problems.append(f"job {name} has no permissions of its own")
    if len(publishers) != 1:
        return [*problems, f"release.yml has {len(publishers)} publish jobs"]
    publish = jobs[publishers[0]]
    if publish.get("permissions") != {"id-token": "write"}:
        problems.append(f"the publish job's permissions: {publish.get('permissions')}")
    if publish.get("environment", {}).get("name") != "pypi":
        problems.append("the publish job is not in the pypi environment")
    if "secrets." in json.dumps(publish) or "password" in json.dumps(publish):
        problems.append("the publish job uses a stored secret instead of trusted publishing")
    if "actions/download-artifact" not in _uses(publish) or "steps" not in publish:
        problems.append("the publish job does not download the built dist")
    elif any(s.get("uses", "").startswith("actions/checkout@") for s in publish["steps"]):
        problems.append("the publish job checks out the source instead of publishing the dist")
    before = {n: jobs[n] for n in _upstream(jobs, publishers[0])}
    wanted = {
        "the tag/version/CHANGELOG check": lambda j: re.search(
            r"^python scripts/check_release\.py \"\$GITHUB_REF_NAME\"$", _runs(j), re.M
        ),
        "all of CI (make test included)": lambda j: j.get("uses") in CI_CALL,
        "python -m build": lambda j: "python -m build" in _runs(j),
        "twine check --strict": lambda j: "twine check --strict" in _runs(j),
        "the wheel in a fresh venv": lambda j: "-m venv" in _runs(j) and ".whl" in _runs(j),
    }
    for what, found in wanted.items():
        if not any(found(job) for job in before.values()):
            problems.append(f"publish does not wait for {what}")
    builds = [n for n, j in before.items() if "python -m build" in _runs(j)]
    if builds and _upstream(jobs, builds[0]).isdisjoint(
        n for n, j in jobs.items() if "check_release.py" in _runs(j)
    ):
        problems.append("the build does not wait for the tag/version/CHANGELOG check")
    return problems


def pinning_problems(texts: dict[str, str]) -> list[str]:
    """``uses:`` lines not pinned by full hash plus ``# vX.Y.Z``, or one action at two hashes."""
    problems, hashes = [], {}
    for name, text in sorted(texts.items()):
        for line in re.findall(r"^\s*(?:- )?uses: (.+)$", text, re.M):
            if line.startswith(("$/", "./")):
                continue
            if not _PINNED.match(line):
                problems.append(f"{name}: {line}")
                continue
            action, sha = line.split(" ")[0].split("@")
            hashes.setdefault(action, set()).add(sha)
    problems += [f"{a} at {len(s)} hashes" for a, s in sorted(hashes.items()) if len(s) > 1]
    return problems


def _texts(folder: Path = WORKFLOWS) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yml"))}


def test_pages_deploys_only_the_site_that_passed_make_test():
    assert pages_problems(load("pages.yml"), load("ci.yml")) == []
    on = _on(load("pages.yml"))
    assert on["push"] == {"branches": ["main"]}, on


def test_the_release_runs_on_tags_checks_everything_and_alone_holds_the_token():
    assert release_problems(load("release.yml")) == []


def test_every_action_is_pinned_by_hash_with_its_version():
    texts = _texts()
    assert {"ci.yml", "pages.yml", "release.yml"} <= set(texts)
    assert pinning_problems(texts) == []


def _pages_with(defect: str) -> tuple[dict, dict]:
    pages, ci = load("pages.yml"), load("ci.yml")
    deploy = next(j for j in pages["jobs"].values() if "actions/deploy-pages" in _uses(j))
    book = next(j for j in ci["jobs"].values() if re.search(r"^make test", _runs(j), re.M))
    if defect == "no needs":
        deploy.pop("needs")
    elif defect == "always":
        deploy["if"] = "${{ always() }}"
    elif defect == "own build":
        pages["jobs"]["build"] = copy.deepcopy(book)
        deploy["needs"] = [*_needs(deploy), "build"]
    elif defect == "upload first":
        book["steps"].insert(0, book["steps"].pop())
    elif defect == "unconditional upload":
        book["steps"][-1].pop("if")
    elif defect == "tests may fail":
        next(s for s in book["steps"] if "make test" in s.get("run", ""))["continue-on-error"] = (
            True
        )
    elif defect == "shared concurrency":
        ci["concurrency"]["group"] = "ci-${{ github.ref }}"
    return pages, ci


@pytest.mark.parametrize(
    ("defect", "caught"),
    [
        ("no needs", "deploy does not need the call of ci.yml"),
        ("always", "deploy runs even when the tests did not pass"),
        ("own build", "uploads a site of its own"),
        ("upload first", "not test then upload"),
        ("unconditional upload", "the site is uploaded on if: None"),
        ("tests may fail", "continue-on-error"),
        ("shared concurrency", "concurrency group ignores the caller"),
    ],
)
def test_a_pages_deploy_of_an_untested_site_is_caught(defect, caught):
    problems = pages_problems(*_pages_with(defect))
    assert any(caught in problem for problem in problems), problems


def _release_with(defect: str) -> dict:
    release = load("release.yml")
    jobs = release["jobs"]
    publish = next(j for j in jobs.values() if "pypa/gh-action-pypi-publish" in _uses(j))
    if defect == "token for all":
        release["permissions"] = {"id-token": "write"}
    elif defect == "token in build":
        next(j for j in jobs.values() if "python -m build" in _runs(j))["permissions"] = {
            "contents": "read",
            "id-token": "write",
        }
    elif defect == "branch trigger":
        release[True if True in release else "on"]["push"]["branches"] = ["main"]
    elif defect == "no tests":
        publish["needs"] = [n for n in _needs(publish) if jobs[n].get("uses") not in CI_CALL]
    elif defect == "no check":
        for job in jobs.values():
            for step in job.get("steps", []):
                if "check_release.py" in step.get("run", ""):
                    step["run"] = "echo skipped"
    elif defect == "no smoke":
        publish["needs"] = [n for n in _needs(publish) if "-m venv" not in _runs(jobs[n])]
    elif defect == "no environment":
        publish.pop("environment")
    elif defect == "token secret":
        publish["steps"][-1].setdefault("with", {})["password"] = "${{ secrets.PYPI_TOKEN }}"
    return release


@pytest.mark.parametrize(
    ("defect", "caught"),
    [
        ("token for all", "release.yml's default permissions: {'id-token': 'write'}"),
        ("token in build", "job build may ask for an OIDC token but does not publish"),
        ("branch trigger", "not only on a pushed v* tag"),
        ("no tests", "publish does not wait for all of CI (make test included)"),
        ("no check", "publish does not wait for the tag/version/CHANGELOG check"),
        ("no smoke", "publish does not wait for the wheel in a fresh venv"),
        ("no environment", "the publish job is not in the pypi environment"),
        ("token secret", "uses a stored secret instead of trusted publishing"),
    ],
)
def test_a_release_that_skips_a_check_or_spreads_the_token_is_caught(defect, caught):
    problems = release_problems(_release_with(defect))
    assert any(caught in problem for problem in problems), problems


def test_an_action_pinned_by_tag_or_at_two_hashes_is_caught():
    texts = _texts()
    by_tag = dict(texts)
    by_tag["release.yml"] = re.sub(
        r"(pypa/gh-action-pypi-publish@)[0-9a-f]{40} # v[\d.]+",
        r"\1release/v1",
        texts["release.yml"],
    )
    assert pinning_problems(by_tag) == ["release.yml: pypa/gh-action-pypi-publish@release/v1"]
    no_version = dict(texts)
    no_version["pages.yml"] = re.sub(r"( # v[\d.]+)$", "", texts["pages.yml"], flags=re.M)
    assert pinning_problems(no_version) != []
    drifted = dict(texts)
    drifted["release.yml"] = texts["release.yml"].replace(
        "actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955",
        "actions/checkout@" + "1" * 40,
    )
    assert drifted["release.yml"] != texts["release.yml"]
    assert pinning_problems(drifted) == ["actions/checkout at 2 hashes"]
