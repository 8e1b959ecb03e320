"""The default classifier on CLINC150: train on train.json, measure on val.json.

Runs ``baton nlu-eval`` in a child process so that its peak memory is the classifier's
alone, and reads the lines it prints.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clinc150"
COMMAND = ["baton", "nlu-eval", "--train", "../shared/data/clinc150/train.json",
           "--eval", "../shared/data/clinc150/val.json"]


def measure() -> dict[str, str]:
    if not (DATA / "train.json").exists():
        return {}
    done = subprocess.run(
        [sys.executable, "-m", "adapter.cli", *COMMAND[1:]], capture_output=True, text=True,
        check=True, cwd=Path(__file__).resolve().parents[1])
    figures = dict(line.split("=", 1) for line in done.stdout.split())
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["peak_rss_mb"] = f"{peak_kib / 1024:.0f}"
    return figures


TARGETS = {
    "in_scope_accuracy": ">= 0.93 (Rasa 0.915, Dialogflow 0.917, MLP on USE+ELMo 0.935)",
    "domain_accuracy": ">= 0.975",
    "oos_recall": ">= 0.75",
    "in_scope_rejected": "<= 0.05",
    "train_seconds": "< 60 on 2 cores",
    "predict_ms_p50": "< 2",
    "peak_rss_mb": "(the nlu-eval process)",
}


def report(figures: dict[str, str]) -> str:
    if not figures:
        return "(skipped: ../shared/data/clinc150 is not beside the repository)"
    lines = ["| figure | value | target |", "|---|---|---|"]
    lines += [f"| {name} | {figures[name]} | {target} |" for name, target in TARGETS.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(measure()))
