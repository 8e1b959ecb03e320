// The side panel: a conversation's owner, its transfer timeline, and the context store.
import { avatar, el, personaLabel, timeOf } from "./render.js";

const SHORT = 200; // characters of a transferred message shown until "show more"
const expanded = new Set(); // transfers whose message is shown whole; the panel redraws often

function row(label, value, cls = "") {
  if (value === null || value === undefined || value === "") return null;
  return el("div", { class: `row ${cls}`.trim() }, [el("dt", { text: label }), el("dd", { text: value })]);
}

/** The message a transfer carried, quoted; a long one is cut short, with an expander. */
function messageRow(t) {
  if (!t.message) return null;
  const characters = Array.from(t.message); // code points: an emoji is never cut in half
  const quote = el("span", { class: "quote", text: `“${t.message}”` });
  const cells = [el("dt", { text: "message" }), el("dd", {}, [quote])];
  if (characters.length > SHORT) {
    const short = `“${characters.slice(0, SHORT).join("").trimEnd()}…”`;
    const toggle = el("button", { type: "button", class: "link-button expander" });
    const show = () => {
      const whole = expanded.has(t.id);
      quote.textContent = whole ? `“${t.message}”` : short;
      toggle.textContent = whole ? "show less" : "show more";
      toggle.setAttribute("aria-expanded", String(whole));
    };
    toggle.addEventListener("click", () => {
      if (!expanded.delete(t.id)) expanded.add(t.id);
      show();
    });
    show();
    cells[1].append(" ", toggle);
  }
  return el("div", { class: "row message" }, cells);
}

/** One ledger row as a step of the timeline. */
export function transferNode(t) {
  const to = t.to ? personaLabel(t.to) : el("span", { class: "persona-name muted", text: "nobody" });
  return el("li", { class: `transfer ${t.status}`, dataset: { status: t.status } }, [
    el("div", { class: "transfer-top" }, [
      el("span", { class: `status ${t.status}`, text: t.status }),
      el("span", { class: "time", text: `${t.kind} · ${timeOf(t.created_at)}` }),
    ]),
    el("div", { class: "transfer-head" }, [
      personaLabel(t.from), el("span", { class: "arrow", text: "→" }), to,
    ]),
    el("dl", { class: "transfer-fields" }, [
      row("skill", t.skill), row("intent", t.intent || t.intent_id),
      messageRow(t),
      row("reason", t.reason, "reason"), row("answered by", t.resolution),
    ]),
  ]);
}

function expiry(expiresAt) {
  if (!expiresAt) return "kept";
  const seconds = Math.max(0, Math.round(expiresAt - Date.now() / 1000));
  if (seconds < 120) return `expires in ${seconds}s`;
  if (seconds < 7200) return `expires in ${Math.round(seconds / 60)} min`;
  return `expires in ${Math.round(seconds / 3600)} h`;
}

/** One context-store entry: namespace.key = JSON value. */
export function entryNode(entry) {
  return el("li", { class: "entry", dataset: { key: `${entry.namespace}.${entry.key}` } }, [
    el("div", { class: "entry-head" }, [
      el("span", { class: "entry-key mono", text: `${entry.namespace}.${entry.key}` }),
      el("span", { class: "entry-ttl", text: expiry(entry.expires_at) }),
    ]),
    el("pre", { class: "entry-value mono", text: JSON.stringify(entry.value, null, 1) }),
  ]);
}

function empty(text) {
  return el("li", { class: "empty", text });
}

/** Fill the side panel: the conversation's owner, its transfers, and the stored context. */
export function panelView(panel, userTitle) {
  const $ = (id) => document.getElementById(id);
  $("details-conversation").textContent = panel.conversation ? panel.conversation.id
    : "no conversation selected yet";
  const owner = panel.owner;
  $("owner").replaceChildren(owner ? el("div", { class: "owner-card" }, [
    avatar(owner.display_name, owner.icon, "large"),
    el("div", {}, [
      el("div", { class: "owner-name", text: owner.display_name }),
      el("div", { class: "owner-sub", text: `${owner.name} · skill ${owner.skills.join(", ") || "none"}` }),
    ]),
  ]) : el("p", { class: "muted", text: "Start a thread, or pick one, to see who answers it." }));
  $("transfers").replaceChildren(...(panel.transfers.length ? panel.transfers.map(transferNode)
    : [empty("No transfers yet")]));
  const entries = (list) => (list.length ? list.map(entryNode) : [empty("Nothing stored")]);
  $("context-conversation").replaceChildren(...entries(panel.context.conversation));
  $("context-user-title").textContent = userTitle;
  $("context-user").replaceChildren(...entries(panel.context.user));
}
