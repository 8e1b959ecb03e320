"""``make bench``: run every benchmark and rewrite benchmarks/RESULTS.md."""

from __future__ import annotations

import asyncio
import os
import platform
import sys
from datetime import date
from pathlib import Path

from . import nlu, process, routing, scale, scale_report, store

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    measured = asyncio.run(scale.measure())
    scale_report.plot(measured, scale_report.PLOT)
    scaled = scale_report.report(measured)
    sections = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m benchmarks`) on {date.today()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores. Absolute times vary "
        "between runs on these machines; the ratios within one run are the figures that count.",
        "",
        "## Baton against bare Bolt, process against process (issues 4 and 12)",
        "",
        "Each case is its own server process over HTTP: bare Bolt's own server, and `baton "
        "run --http`. One fake Slack Web API sends them signed `app_mention` events one at a "
        "time, each a new thread, round-robin, so every process waits equally long between "
        f"its messages. {process.ROUNDS} samples per case after 50 warm-up rounds; a sample "
        "runs from sending the event to the answer reaching the fake Web API; the ack is the "
        "HTTP response; CPU is the server's own per message. Command: `python -m "
        "benchmarks.process`.",
        "",
        process.report(asyncio.run(process.measure())),
        "",
        "## Scale: many conversations at once, one or more instances (issue 14)",
        "",
        "Every server is its own process over HTTP, started side by side: bare Bolt (its own "
        "server, answering each mention and thread reply), one `baton run --http` on SQLite, "
        "and 1, 2 and 3 `baton run --http` instances on one PostgreSQL database (a fresh "
        "database per group; events go to the instances in turn, as a load balancer sends "
        "them). Bots: benchmarks/process_bots.py. N conversations talk at once; each is a "
        "new thread (a mention) followed by replies in it, each sent when the answer to the "
        "last has reached the fake Slack Web API, as people wait for answers. messages/s is "
        "answers over the level's wall time; latency runs from sending an event to its "
        f"answer. Each level runs {scale.ROUNDS} times on every group in turn; the table "
        "shows the round of median throughput. These machines have 2 cores shared by "
        "every process (the load generator and PostgreSQL too), so wall-clock throughput "
        "does not grow with instances; scaling is read from CPU per message. Lock waits "
        "are the time claims waited for their conversation's advisory lock inside "
        "PostgreSQL; lease waits the time an entry whose claim was refused (its "
        "conversation's previous message still running or finishing, usually at another "
        "instance) waited from that refusal until it was claimed; both over handling time "
        "(claim to the end of the Run), from each instance's `/healthz` counters. Claims "
        "refused: the share of messages whose first claim was refused. Command: `python -m "
        "benchmarks.scale`.",
        "",
        "![messages per second and p95 latency against conversations at once](scale.png)",
        "",
        scaled,
        "",
        "## Context store throughput (issue 5)",
        "",
        f"{store.OPS:,} sets then {store.OPS:,} gets over {store.KEYS} keys through the public "
        "async API (`turn.store`), next to raw `sqlite3` doing the same work on the same kind "
        "of file in the same run (target: at least 0.5x). Command: `python -m benchmarks.store`.",
        "",
        store.report(asyncio.run(store.measure())),
        "",
        "## Intent classification on CLINC150 (issue 6)",
        "",
        "The default classifier (`tfidf-svm`) trained on `train.json` (train + oos_train) and "
        "measured on `val.json`, one message at a time, at the default out-of-scope threshold "
        "0.75 (chosen on val: the largest round value keeping in-scope rejection well under "
        "5%). The test split was never used. Command, from the repository root: `"
        + " ".join(nlu.COMMAND) + "`.",
        "",
        nlu.report(nlu.measure(), nlu.measure("embedding-svm")
                   if nlu.embedding_available() else None),
        "",
        "`embedding-svm` is the `embeddings` extra (all-MiniLM-L6-v2, int8 ONNX, on "
        "onnxruntime, sentence vectors appended to the default's features), at its own "
        "threshold 0.85, chosen on val like the default's: `"
        + " ".join(nlu.COMMAND) + " --classifier embedding-svm`. It is more accurate and "
        "many times slower per message (p50 above); the default's latency and training "
        "targets do not hold for it.",
        "",
        "The router's decisions with that model on the same val messages, each of the 10 "
        "domains standing in for one persona's skill, by intent alone "
        "(`adapter.routing.decide`, threshold 0.75, sure 0.95): how often it transfers at "
        "once and how often that is the right skill; how often it asks with buttons and how "
        "often the right skill is among the two offered. Command: `python -m benchmarks.nlu`.",
        "",
        nlu.routing_report(nlu.routing() if nlu.DATA.joinpath("train.json").exists() else {}),
        "",
        "## Routing the shipped helpdesk (issue 15)",
        "",
        routing.report(routing.measure()),
        "",
    ]
    RESULTS.write_text("\n".join(sections))
    sys.stdout.write(RESULTS.read_text())


if __name__ == "__main__":
    main()
