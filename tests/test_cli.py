"""The ``baton`` command as a person at a terminal uses it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from adapter import App
from adapter.cli import main
from adapter.testing import FakeSlack

from .conftest import helpdesk


def baton(*args: str, stdin: str = "", db: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "adapter.cli", *args, "--db", str(db)],
        input=stdin, capture_output=True, text=True, env=env, timeout=30,
    )
    return done, time.perf_counter() - started


def test_run_without_tokens_chats_in_the_terminal_within_five_seconds(tmp_path: Path) -> None:
    done, seconds = baton("run", "--terminal", stdin="hello\nwhen is payday\n/quit\n",
                          db=tmp_path / "b.db")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Baton local mode (no Slack tokens found)")
    assert lines[2:] == [
        "Helpdesk: Hi! I can help with time off and pay (People Team), trips (Travel Desk) or "
        "your corporate card (Corporate Card). What do you need?",
        "People Team: Salaries are paid on the 25th of each month.",
    ]
    assert seconds < 5, f"start, two answers and exit took {seconds:.1f}s"


def test_an_unknown_bots_module_is_a_clear_message(tmp_path: Path) -> None:
    done, _ = baton("run", "--bots", "no_such_bots", db=tmp_path / "b.db")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "no_such_bots: cannot import 'no_such_bots': No module named 'no_such_bots'; pass "
        "--bots with an importable module.",
        "baton: no_such_bots has 1 problem; fix it (`baton validate` lists the same).",
    ]


async def test_transfers_prints_the_ledger(db_path: Path, capsys) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(app) as slack:
        convo = slack.conversation()
        await convo.user_says("I need a flight")
        conversation = convo.id
        transfer_id = convo.transfers[0].id
    app.close()
    assert main(["transfers", "--bots", "tests.conftest_bots", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (
        f"{transfer_id} {conversation} router -> travel skill=travel "
        "message='I need a flight' completed\n"
    )


async def test_context_show_prints_what_a_conversation_and_a_user_stored(
    db_path: Path, capsys
) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path, clock=lambda: 1_800_000_000.0)
    await app.store.register_namespace("trip", ttl=3600)
    mine = app.store.bind(user="U1", conversation="T1:C1:1.0")
    await mine.set("trip", "city", "Tromsø")
    await mine.set("trip", "seat", {"row": 12, "side": "aisle"}, scope="user")
    app.close()
    assert main(["context", "show", "--conversation", "T1:C1:1.0", "--bots",
                 "tests.conftest_bots", "--db", str(db_path)]) == 0
    assert main(["context", "show", "--user", "U1", "--bots", "tests.conftest_bots",
                 "--db", str(db_path)]) == 0
    assert main(["context", "show", "--user", "U2", "--bots", "tests.conftest_bots",
                 "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (
        'trip.city = "Tromsø" (expires 2027-01-15T09:00:00+00:00)\n'
        'trip.seat = {"row": 12, "side": "aisle"} (expires 2027-01-15T09:00:00+00:00)\n'
        "nothing stored for user U2\n"
    )


async def test_run_without_tokens_opens_the_playground_within_five_seconds(
    tmp_path: Path,
) -> None:
    import asyncio

    import aiohttp

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    started = time.perf_counter()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapter.cli", "run", "--port", "0", "--db",
        str(tmp_path / "b.db"), env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        assert child.stdout is not None
        line = (await asyncio.wait_for(child.stdout.readline(), 30)).decode()
        assert line.startswith("Baton playground (no Slack credentials found): open http://127.0.0.1:")
        url = line.rsplit("open ", 1)[1].strip()
        async with aiohttp.ClientSession() as session:
            async with session.post(url + "api/say", json={
                "channel": "C0HELPDESK", "user": "U0ADA00001", "text": "when is payday"},
                    headers={"Origin": url.rstrip("/")}) as response:
                assert response.status == 200, await response.text()
                thread = (await response.json())["thread"]
            async with session.get(url + "api/panel", params={
                    "channel": "C0HELPDESK", "thread": thread, "user": "U0ADA00001"}) as response:
                panel = await response.json()
        seconds = time.perf_counter() - started
        assert panel["owner"]["name"] == "people", panel
        assert seconds < 5, f"start and one answer took {seconds:.1f}s"
    finally:
        child.terminate()
        await child.wait()


def test_run_needs_none_of_the_test_extras() -> None:
    """`make run` installs only the project: nothing on its path may import test tools."""
    blocked = ["pytest", "pytest_asyncio", "respx", "playwright", "onnxruntime"]
    code = ("import sys\n"
            f"for name in {blocked!r}: sys.modules[name] = None\n"
            "import adapter.cli, adapter.runner, adapter.terminal, adapter.playground\n"
            "import adapter.testing, bots\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
