"""Baton next to bare Bolt as users run them: each its own process, served over HTTP.

Bare Bolt's own server (benchmarks/bare_bolt.py) and three ``baton run --http``
processes (bots: benchmarks/process_bots.py, where one answers each message itself and
another hands each to another persona, which answers; and the shipped helpdesk, whose
router classifies each message and transfers it) talk to one fake Slack Web API here. It
sends them signed event callbacks one at a time, each a new thread, round-robin, so each
process waits equally long between its messages and noise hits all of them alike. A
sample is the time from sending the event until its answer reaches the fake Web API; the
ack is the time until the HTTP response; CPU is the server process's own (user + system)
over the measured rounds, per message.

    python -m benchmarks.process [ROUNDS]
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

from adapter.testing.web_api import TOKEN

from .harness import EventSender, SignalingApi

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 1000  # samples per case: these machines are noisy, and the ratio is what counts
# case: (the server, the text each of its messages says)
CASES = {
    "bare Bolt reply": ("bolt", "hello"),
    "Baton plain reply": ("benchmarks.process_bots", "plain please"),
    "Baton warm transfer": ("benchmarks.process_bots", "transfer please"),
    # The shipped helpdesk: the router classifies, then transfers with intent and message.
    "shipped router: classify + transfer": ("bots", "when do salaries get paid this month?"),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def start(command: list[str], env: dict[str, str], port: int,
                log: Path) -> asyncio.subprocess.Process:
    """Start a server process and return once its port takes connections."""
    with log.open("wb") as out:
        child = await asyncio.create_subprocess_exec(*command, env=env, cwd=ROOT, stdout=out,
                                                     stderr=out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.returncode is not None:
            raise RuntimeError(f"{command} exited: {log.read_text()[-2000:]}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return child
        except OSError:
            await asyncio.sleep(0.05)  # a benchmark harness polling a port, not a test
    raise RuntimeError(f"{command} did not listen on {port}: {log.read_text()[-2000:]}")


async def sample(api: SignalingApi, sender: EventSender, text: str) -> tuple[float, float]:
    """(ack seconds, answer seconds) for one new thread."""
    target = len(api.messages) + 1
    started = time.perf_counter()
    await sender.mention(text)
    acked = time.perf_counter() - started
    while len(api.messages) < target:
        api.posted.clear()
        await api.posted.wait()
    return acked, time.perf_counter() - started


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000}


async def measure(rounds: int = ROUNDS, warmup: int = 50) -> dict[str, dict[str, float]]:
    api = SignalingApi()
    api_runner, api_url = await api.serve()
    secret = secrets.token_hex(16)
    ports = {name: free_port() for name in CASES}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    env = {**base, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": secret,
           "BATON_SLACK_API_URL": api_url}
    samples: dict[str, dict[str, list[float]]] = {}
    async with AsyncExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        servers = {}
        for n, (name, (module, _)) in enumerate(CASES.items()):
            port = ports[name]
            command = [sys.executable, "-m", "benchmarks.bare_bolt", str(port)] \
                if module == "bolt" else [sys.executable, "-m", "adapter.cli", "run", "--http",
                                          "--bots", module]
            child = await start(command, {**env, "BATON_DB": str(folder / f"bench{n}.db"),
                                          "BATON_PORT": str(port)}, port, folder / f"{n}.log")
            stack.push_async_callback(_stop, child)
            sender = EventSender(f"http://127.0.0.1:{port}/slack/events", secret)
            stack.push_async_callback(sender.close)
            servers[name] = (child, sender)
        samples = {name: {"ack": [], "answer": []} for name in CASES}
        cpu: dict[str, float] = {}
        for i in range(warmup + rounds):
            if i == warmup:
                cpu = {name: cpu_seconds(child.pid) for name, (child, _) in servers.items()}
            for name, (_, sender) in servers.items():
                acked, answered = await sample(api, sender, CASES[name][1])
                if i >= warmup:
                    samples[name]["ack"].append(acked)
                    samples[name]["answer"].append(answered)
        cpu = {name: (cpu_seconds(child.pid) - cpu[name]) / rounds
               for name, (child, _) in servers.items()}
    await api_runner.cleanup()
    return {name: {**stats(values["answer"]),
                   "ack_median_ms": statistics.median(values["ack"]) * 1000,
                   "cpu_ms": cpu[name] * 1000}
            for name, values in samples.items()}


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _stop(child: asyncio.subprocess.Process) -> None:
    if child.returncode is None:
        child.terminate()
        await child.wait()


def report(results: dict[str, dict[str, float]]) -> str:
    bare = results["bare Bolt reply"]["median_ms"]
    plain = results["Baton plain reply"]["median_ms"]
    transfer = results["Baton warm transfer"]["median_ms"]
    bare_cpu = results["bare Bolt reply"]["cpu_ms"]
    lines = ["| case | median ms | p95 ms | ack median ms | CPU ms per message | median vs "
             "bare Bolt | CPU vs bare Bolt |", "|---|---|---|---|---|---|---|"]
    for name, figures in results.items():
        lines.append(f"| {name} | {figures['median_ms']:.2f} | {figures['p95_ms']:.2f} | "
                     f"{figures['ack_median_ms']:.2f} | {figures['cpu_ms']:.2f} | "
                     f"{figures['median_ms'] / bare:.2f}x | {figures['cpu_ms'] / bare_cpu:.2f}x |")
    lines += ["", f"Baton plain reply / bare Bolt (median): **{plain / bare:.2f}x** "
                  "(target <= 1.10x)",
              f"Warm transfer / Baton plain reply (median): **{transfer / plain:.2f}x** "
              "(target <= 1.3x)"]
    routed = results.get("shipped router: classify + transfer")
    if routed:
        lines.append(f"Shipped router, classification included / Baton plain reply (median): "
                     f"{routed['median_ms'] / plain:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(asyncio.run(measure(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS))))
