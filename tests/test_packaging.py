"""A built wheel, installed in a fresh virtualenv, works without this checkout beside it."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with Baton's wheel in it; returns its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so the build leaves nothing in the checkout
    for part in ("adapter", "bots"):
        shutil.copytree(ROOT / part, source / part,
                        ignore=shutil.ignore_patterns("__pycache__", ".baton-cache"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "-w", str(work / "dist"), str(source)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("slack_baton-*.whl")
    fresh = work / "venv"
    venv.create(fresh, with_pip=True)
    python = fresh / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # Baton's dependencies from this environment (a path line, so its editable Baton is not
    # activated: only the wheel's `adapter` can be imported), instead of a download.
    [fresh_site] = (fresh / "lib").glob("python3*/site-packages")
    (fresh_site / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return fresh / "bin"


def run(bin_dir: Path, *args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "BATON_")) and k != "PYTHONPATH"}
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_the_wheel_imports_its_own_copy(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "python", "-c", "import adapter; print(adapter.__file__)", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(installed.parent) in done.stdout and str(ROOT) not in done.stdout


def test_baton_manifest_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "baton", "manifest", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ROOT / "manifest.yaml").read_text()


def test_baton_validate_the_shipped_bots_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "baton", "validate", "--bots", "bots", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("; no problems.")


def test_baton_run_terminal_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "baton", "run", "--terminal", "--db", str(tmp_path / "b.db"),
               cwd=tmp_path, stdin="when is payday\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == [
        "People Team: Salaries are paid on the 25th of each month.", "  [1] Not what I meant"]
