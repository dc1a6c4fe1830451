"""The CI workflows run a pull request's code (its snippets run at build time) with no power to harm.

A snippet runs with the permissions of whoever builds the site: it can write files and forge cache
entries. So the workflow that runs pull requests must never get a write token or secrets, and the
workflow that publishes must never run for a pull request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[Any, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(on, (str, dict)), on
    return {on: None} if isinstance(on, str) else dict(on)


def permissions(block: dict[Any, Any]) -> dict[str, str]:
    granted = block.get("permissions", {})
    assert isinstance(granted, dict), f"permissions must be listed one by one, not {granted!r}"
    return granted


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda path: path.name)
def test_no_workflow_runs_pull_request_code_with_write_access(path: Path) -> None:
    workflow = load(path.name)
    assert not triggers(workflow).keys() & {"pull_request_target", "workflow_run"}, "these run with write access"
    assert permissions(workflow) == {"contents": "read"}, "the default token is read-only"
    if "pull_request" in triggers(workflow):
        assert not re.search(r"\$\{\{[^}]*\bsecrets\.", path.read_text(encoding="utf-8")), "no secrets"
        for name, job in workflow["jobs"].items():
            assert set(permissions(job).values()) <= {"read"}, f"job {name} runs pull requests"


def test_only_the_deploy_job_may_write_and_never_for_a_pull_request() -> None:
    pages = load("pages.yml")
    assert triggers(pages) == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    writers = {name for name, job in pages["jobs"].items() if "write" in permissions(job).values()}
    assert writers == {"deploy"}
    assert [step.get("uses", "").split("@")[0] for step in pages["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_ci_and_pages_compute_in_the_same_image() -> None:
    """The published numbers are the tested ones only if both run on the same libc and Python."""
    images = {name: load(name)["jobs"][job]["container"] for name, job in (("ci.yml", "test"), ("pages.yml", "build"))}
    assert len(set(images.values())) == 1, images
