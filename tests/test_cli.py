"""The ``baton`` command as a person at a terminal uses it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from adapter import App
from adapter.cli.main import main
from adapter.testing import FakeSlack

from .conftest import helpdesk


def baton(*args: str, stdin: str = "",
          db: Path | None) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "adapter.cli", *args, *(["--db", str(db)] if db else [])],
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
        "  [1] Not what I meant",  # the way back from the router's choice of desk
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
        long = "I need a flight to Oslo on the 12th, " + " ".join(["and a hotel near the office"]
                                                                 * 100)
        other = slack.conversation()
        await other.user_says(long)
        conversation, other_id = convo.id, other.id
        [first], [second] = convo.transfers, other.transfers
    app.close()
    assert await asyncio.to_thread(main, ["transfers", "--bots", "tests.conftest_bots", "--db",
                                          str(db_path)]) == 0
    printed = capsys.readouterr()
    assert printed.err == f"reading {db_path.resolve()}\n"
    when = datetime.fromtimestamp(first.created_at, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    lines = printed.out.splitlines()
    assert lines[0] == (f"{when} {first.id} transfer {conversation} router -> travel "
                        "skill=travel message='I need a flight' completed")
    assert lines[1].endswith(f" {second.id} transfer {other_id} router -> travel skill=travel "
                             "message='I need a flight to Oslo on the 12th, and a hotel near "
                             "the o…' completed")
    assert second.message == long

    assert await asyncio.to_thread(main, ["transfers", "--full", "--db", str(db_path),
                                          "--bots", "tests.conftest_bots"]) == 0
    assert long in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["transfers", "--json", "--db", str(db_path),
                                          "--bots", "tests.conftest_bots"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["kind"], r["status"], r["message"]) for r in rows] == [
        (first.id, "transfer", "completed", "I need a flight"),
        (second.id, "transfer", "completed", long)]
    assert {"created_at", "updated_at", "from_persona", "to_persona"} <= set(rows[0])


def test_the_inspecting_commands_read_the_database_baton_run_would(tmp_path: Path,
                                                                   monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baton.toml").write_text('db = "from-toml.db"\n')
    done, _ = baton("transfers", db=None)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"baton: no database at {tmp_path / 'from-toml.db'}: give the one `baton run` uses "
        "with --db, BATON_DB or db in baton.toml.")
    assert not (tmp_path / "baton.db").exists()  # nothing was created behind the user's back


def test_the_inspecting_commands_never_fit_or_load_a_classifier(db_path: Path, capsys,
                                                                monkeypatch) -> None:
    App(personas=helpdesk(), entry="router", db=db_path).close()

    def refuse(*args, **kwargs):
        raise AssertionError("a classifier was fitted or loaded")

    monkeypatch.setattr("adapter.registry.fit_cached", refuse)
    assert main(["transfers", "--db", str(db_path), "--bots", "tests.conftest_bots"]) == 0
    assert main(["context", "show", "--user", "U1", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == "no transfers\nnothing stored for user U1\n"


async def test_context_show_prints_what_a_conversation_and_a_user_stored(
    db_path: Path, capsys
) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path, clock=lambda: 1_800_000_000.0)
    await app.store.register_namespace("trip", ttl=3600)
    mine = app.store.bind(user="U1", conversation="T1:C1:1.0")
    await mine.set("trip", "city", "Tromsø")
    await mine.set("trip", "seat", {"row": 12, "side": "aisle"}, scope="user")
    app.close()
    for which in (["--conversation", "T1:C1:1.0"], ["--user", "U1"], ["--user", "U2"]):
        assert await asyncio.to_thread(main, ["context", "show", *which, "--bots",
                                              "tests.conftest_bots", "--db", str(db_path)]) == 0
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
            "import adapter.cli.main, adapter.serve, adapter.playground.terminal\n"
            "import adapter.testing, bots\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


async def test_a_signal_is_answered_with_stopping_and_stopped(tmp_path: Path) -> None:
    import asyncio
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapter.cli", "run", "--port", "0", "--db",
        str(tmp_path / "b.db"), env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    assert child.stdout is not None
    line = (await asyncio.wait_for(child.stdout.readline(), 30)).decode()
    assert line.startswith("Baton playground")
    child.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(child.communicate(), 30)
    assert child.returncode == 0
    logged = [line.split(": ", 1)[1] for line in err.decode().splitlines() if " baton: " in line]
    assert logged[-2:] == ["Baton is stopping (SIGINT): 0 events in flight, finishing them",
                           "Baton stopped"]
