// DOM builders for messages and personas. Every piece of user or bot text goes in as
// textContent (never innerHTML), so a message can show "<script>" but never run it.
import { emoji } from "./emoji.js";

/** An element with a class, properties, and children (strings become text nodes). */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

const COLORS = ["#e8912d", "#2bac76", "#1d9bd1", "#e01e5a", "#9e59c9", "#36c5f0", "#ecb22e"];

function initials(name) {
  const words = name.split(/\s+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[1][0] : name.slice(0, 2)).toUpperCase();
}

function colorFor(name) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return COLORS[hash % COLORS.length];
}

/** A square avatar: a persona's emoji or image, else a person's initials. */
export function avatar(name, icon, size = "") {
  const cls = `avatar ${size}`.trim();
  if (icon && /^https?:\/\//.test(icon)) {
    const image = el("img", { class: `${cls} image`, alt: name, referrerPolicy: "no-referrer" });
    // An unreachable icon (offline, say) falls back to initials rather than a broken image.
    image.addEventListener("error", () => image.replaceWith(avatar(name, null, size)), { once: true });
    image.src = icon;
    return image;
  }
  const glyph = icon ? emoji(icon) : null;
  if (glyph) return el("span", { class: `${cls} emoji`, title: icon, text: glyph });
  const node = el("span", { class: cls, title: icon || name, text: initials(name || "?") });
  node.style.background = colorFor(name || "?");
  return node;
}

// *bold*, `code` and :emoji: as Slack shows them; everything else stays literal text.
const INLINE = /(\*[^*\s][^*\n]*\*|`[^`\n]+`|:[a-z0-9_+-]+:)/g;

function inline(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) nodes.push(text.slice(last, match.index));
    const token = match[0];
    if (token.startsWith("*")) nodes.push(el("strong", { text: token.slice(1, -1) }));
    else if (token.startsWith("`")) nodes.push(el("code", { text: token.slice(1, -1) }));
    else nodes.push(emoji(token) ?? token);
    last = match.index + token.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** Message text from the server's parts: text, mentions and links. */
export function richText(parts) {
  const nodes = [];
  for (const part of parts) {
    if (part.kind === "mention") nodes.push(el("span", { class: "mention", text: part.text }));
    else if (part.kind === "link" && /^(https?:|mailto:)/.test(part.href)) {
      nodes.push(el("a", { href: part.href, text: part.text, target: "_blank", rel: "noopener noreferrer" }));
    } else nodes.push(...inline(part.text));
  }
  return nodes;
}

export function timeOf(ts) {
  const date = new Date(parseFloat(ts) * 1000);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** One message: avatar, author, time, text, context notes, and any buttons. */
export function messageNode(msg, onClick) {
  const meta = el("div", { class: "meta" }, [
    el("span", { class: "author", text: msg.author }),
    msg.from_app ? el("span", { class: "badge", text: "APP" }) : null,
    msg.only_for ? el("span", { class: "only-you", text: "Only visible to you" }) : null,
    el("time", { class: "time", text: timeOf(msg.ts), title: msg.ts }),
  ]);
  const buttons = msg.buttons.length ? el("div", { class: "buttons" }, msg.buttons.map((b) =>
    el("button", {
      type: "button", class: `button block ${b.style || ""}`.trim(), text: b.label,
      onclick: (event) => onClick(msg, b.label, event.currentTarget),
    }))) : null;
  const notes = msg.notes.map((parts) => el("div", { class: "note" }, richText(parts)));
  return el("div", {
    class: `message${msg.from_app ? " from-app" : ""}${msg.only_for ? " ephemeral" : ""}`,
    dataset: { ts: msg.ts, author: msg.author, persona: msg.persona || "" },
  }, [
    avatar(msg.author, msg.from_app ? msg.icon : null),
    el("div", { class: "message-body" }, [meta, el("div", { class: "text" }, richText(msg.parts)),
      ...notes, buttons]),
  ]);
}

export function personaLabel(persona) {
  return el("span", { class: "persona-label" }, [
    avatar(persona.display_name, persona.icon, "tiny"),
    el("span", { class: "persona-name", text: persona.display_name }),
  ]);
}
