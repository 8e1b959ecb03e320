// Agent threads in the DM, and status lines: "Travel Desk is checking flights…" under a
// thread while a persona works (what assistant.threads.setStatus shows in Slack).
import { el } from "./render.js";

/** The status line of a thread, if one shows (an empty status clears it). */
export function statusLine(statuses, channel, thread) {
  const found = statuses[`${channel} ${thread}`];
  if (!found || !found.status) return null;
  return el("div", { class: "status-line", dataset: { thread } }, [
    el("span", { class: "status-dots", text: "•••" }),
    el("span", { text: found.status }),
  ]);
}

/** The DM's agent threads: replies whose thread has no root message (Slack opens them). */
export function agentThreads(messages, selected, messageNode, onSelect, statuses) {
  const roots = new Set(messages.map((m) => m.ts));
  const threads = new Map();
  messages.filter((m) => m.is_reply && !roots.has(m.thread)).forEach((m) => {
    if (!threads.has(m.thread)) threads.set(m.thread, []);
    threads.get(m.thread).push(m);
  });
  return [...threads.entries()].map(([ts, replies]) => el("article", {
    class: `thread agent-thread${ts === selected ? " selected" : ""}`, dataset: { thread: ts },
    onclick: (event) => { if (!event.target.closest("button, a")) onSelect(ts); },
  }, [
    el("div", { class: "agent-head", text: "Agent thread" }),
    el("div", { class: "replies" }, replies.map((m) => messageNode(m))),
    statusLine(statuses, replies[0].channel, ts),
  ].filter(Boolean)));
}
