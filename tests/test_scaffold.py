"""`baton new persona`: from nothing to a validated, tested persona in a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def baton(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    return subprocess.run([sys.executable, "-m", "adapter.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_new_persona_then_validate_then_its_generated_test(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "bots", project / "bots",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")

    made = baton("new", "persona", "demo", cwd=project)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[:3] == [
        f"wrote {project / 'bots' / 'demo.py'}",
        f"wrote {project / 'tests' / 'test_demo.py'}",
        f"wrote {project / 'bots' / '__init__.py'}",
    ]
    init = (project / "bots" / "__init__.py").read_text()
    imports = [line for line in init.splitlines() if line.startswith("from .")]
    assert "from .demo import demo" in imports
    assert imports == sorted(imports)  # where isort and ruff want it

    unwritten = baton("validate", cwd=project)
    assert unwritten.returncode == 1
    assert unwritten.stdout.strip().endswith(
        "persona 'demo' still has the placeholder description 'TODO: say what Demo helps "
        "with'; users see it in the router's menu: say in a few words what it helps with.")
    persona = project / "bots" / "demo.py"
    persona.write_text(persona.read_text().replace("TODO: say what Demo helps with",
                                                   "demonstrations"))

    checked = baton("validate", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("; no problems.")

    tested = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_demo.py"], cwd=project, capture_output=True, text=True,
                            timeout=300)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 passed" in tested.stdout

    again = baton("new", "persona", "demo", cwd=project)
    assert again.returncode == 1
    assert again.stderr.strip() == (f"baton: {project / 'bots' / 'demo.py'} already exists; "
                                    "pick another name or remove it first.")


def test_a_bad_persona_name_is_refused(tmp_path: Path) -> None:
    done = baton("new", "persona", "Front Desk", cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "baton: persona name 'Front Desk' is not allowed: use lowercase letters, digits and "
        "underscores, starting with a letter (e.g. 'facilities').")
