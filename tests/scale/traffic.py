"""The traffic of the multi-instance tests: conversations of plain answers and transfers,
what each must be answered, and the count of what went wrong."""

from __future__ import annotations

import socket
from typing import Any

from adapter.storage import open_storage
from tests.faults.crash_harness import Workspace, mention, reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Traffic:
    """``conversations`` threads of ``messages`` each; the odd ones transfer to Travel."""

    def __init__(self, workspace: Workspace, conversations: int, messages: int) -> None:
        self.workspace = workspace
        self.conversations = conversations
        self.messages = messages
        self.roots = [(f"C{index:03d}", workspace.api.clock.ts()) for index in range(conversations)]

    def said(self, index: int, j: int) -> str:
        if index % 2 == 0:
            return f"plain {index} {j}"
        return f"transfer {index}" if j == 0 else f"more {index} {j}"

    def expected(self, index: int) -> list[str]:
        """What conversation ``index`` must be answered, in order."""
        if index % 2 == 0:
            return [f"Helpdesk: plain {index} {j}" for j in range(self.messages)]
        return ["Passing you to Travel.", f"Travel: transfer {index}",
                *[f"Travel: more {index} {j}" for j in range(1, self.messages)]]

    def event(self, index: int, j: int) -> tuple[str, dict[str, Any]]:
        """The id and event of message ``j`` in conversation ``index`` (a mention first)."""
        channel, root = self.roots[index]
        text = self.said(index, j)
        if j == 0:
            return f"Ev{index}m{j}", mention(channel, root, text)
        return f"Ev{index}m{j}", reply(channel, self.workspace.api.clock.ts(), root, text)

    async def all_answered(self, timeout: float) -> bool:
        return await self.workspace.until(lambda: all(
            len(self.workspace.answers(*self.roots[i])) >= len(self.expected(i))
            for i in range(self.conversations)), timeout)

    def faults(self) -> tuple[int, int, int]:
        """(lost, doubled, disordered) over every conversation."""
        lost = doubled = disordered = 0
        for index in range(self.conversations):
            answers = self.workspace.answers(*self.roots[index])
            texts = [m.text for m in answers]
            ids = [(m.metadata or {})["event_payload"]["reply_id"] for m in answers]
            wanted = self.expected(index)
            doubled += len(ids) - len(set(ids)) + max(0, len(texts) - len(wanted))
            lost += len([t for t in wanted if t not in texts])
            disordered += texts != wanted and sorted(texts) == sorted(wanted)
        return lost, doubled, disordered


async def unfinished_work(database: str) -> tuple[int, list[Any], int]:
    """(transfers in the ledger, those neither completed nor failed with a reason,
    inbox entries still pending)."""
    storage = open_storage(database)
    try:
        ledger = await storage.transfers()
        pending = await storage.inbox("pending")
    finally:
        await storage.aclose()
    unfinished = [row for row in ledger if row.status != "completed"
                  and not (row.status == "failed" and row.reason)]
    return len(ledger), unfinished, len(pending)
