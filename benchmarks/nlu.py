"""The default classifier on CLINC150: train on train.json, measure on val.json.

Runs ``baton nlu-eval`` in a child process so that its peak memory is the classifier's
alone, and reads the lines it prints.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clinc150"
COMMAND = ["baton", "nlu-eval", "--train", "../shared/data/clinc150/train.json",
           "--eval", "../shared/data/clinc150/val.json"]


def measure(classifier: str = "tfidf-svm") -> dict[str, str]:
    """nlu-eval's figures for one classifier; run the smaller one first (peak memory is
    read for all children so far)."""
    if not (DATA / "train.json").exists():
        return {}
    done = subprocess.run(
        [sys.executable, "-m", "adapter.cli", *COMMAND[1:], "--classifier", classifier],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    figures = dict(line.split("=", 1) for line in done.stdout.split())
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["peak_rss_mb"] = f"{peak_kib / 1024:.0f}"
    return figures


TARGETS = {
    "in_scope_accuracy": ">= 0.94 (Rasa 0.915, Dialogflow 0.917, MLP on USE+ELMo 0.935)",
    "domain_accuracy": ">= 0.98",
    "oos_recall": ">= 0.85",
    "in_scope_rejected": "<= 0.05",
    "train_seconds": "< 60 on 2 cores",
    "predict_ms_p50": "< 1",
    "peak_rss_mb": "(the nlu-eval process)",
}


def routing() -> dict[str, float]:
    """The router's decisions on val, each CLINC domain standing in for one skill."""
    from adapter import IntentMatch
    from adapter.nlu.evaluate import qualify, read_split
    from adapter.nlu.svm import OOS, TfidfSvmClassifier, domain_of
    from adapter.routing import Option, Thresholds, decide

    domains = json.loads((DATA / "domains.json").read_text())
    model = TfidfSvmClassifier()
    model.fit(qualify(read_split(DATA / "train.json", "train"), domains))
    counts = {"go": 0, "go_right": 0, "ask": 0, "ask_right": 0, "menu": 0, "in_scope": 0}
    for text, gold in qualify(read_split(DATA / "val.json"), domains):
        if gold == OOS:
            continue
        options: dict[str, Option] = {}
        for label, score in model.predict(text, k=20):
            domain, name = label.split(".", 1)
            options.setdefault(domain, Option(domain, 0.0, IntentMatch(domain, name, "", score)))
        choices = list(options.values())
        decision = decide(choices, Thresholds(intent=0.75)).action
        counts["in_scope"] += 1
        counts[decision] += 1
        offered = [o.skill for o in choices[:2 if decision == "ask" else 1]]
        counts[f"{decision}_right"] = counts.get(f"{decision}_right", 0) + \
            (domain_of(gold) in offered)
    n = counts["in_scope"]
    return {"go": counts["go"] / n, "go_right": counts["go_right"] / max(counts["go"], 1),
            "ask": counts["ask"] / n, "ask_right": counts["ask_right"] / max(counts["ask"], 1),
            "menu": counts["menu"] / n}


def routing_report(figures: dict[str, float]) -> str:
    if not figures:
        return ""
    return "\n".join([
        "| router decision on in-scope val messages | share | right skill offered |",
        "|---|---|---|",
        f"| transfer at once | {figures['go']:.3f} | {figures['go_right']:.4f} |",
        f"| ask with two buttons | {figures['ask']:.3f} | {figures['ask_right']:.4f} |",
        f"| menu (\"what I can help with\") | {figures['menu']:.3f} | - |",
    ])


def report(figures: dict[str, str], embedding: dict[str, str] | None = None) -> str:
    if not figures:
        return "(skipped: ../shared/data/clinc150 is not beside the repository)"
    extra = embedding or {}
    lines = ["| figure | tfidf-svm (default) | target (default) | embedding-svm (extra) |",
             "|---|---|---|---|"]
    lines += [f"| {name} | {figures[name]} | {target} | {extra.get(name, '-')} |"
              for name, target in TARGETS.items()]
    return "\n".join(lines)


def embedding_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    default = measure()
    print(report(default, measure("embedding-svm") if embedding_available() else None))
    print()
    print(routing_report(routing() if (DATA / "train.json").exists() else {}))
