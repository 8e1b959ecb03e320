// The app's Home tab: what the app published for the user (views.publish), drawn from
// the server's blocks: headers, sections and context lines as text, and dividers.
import { el, richText } from "./render.js";

export const HOME = "home"; // the page's name for the tab, in place of a channel id

// A link to a thread, as Slack writes it: .../archives/C0HELPDESK/p1796604904492551
const THREAD_LINK = /\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})$/;

/** The Home tab's content from ``blocks`` (see home_json on the server); a link to a
 * thread opens it here (``onOpen(channel, ts)``) rather than at a Slack address. */
export function homeView(blocks, onOpen) {
  const opened = (event) => {
    const found = event.target.closest("a")?.href?.match(THREAD_LINK);
    if (!found) return;
    event.preventDefault();
    onOpen(found[1], `${found[2]}.${found[3]}`);
  };
  return el("div", { class: "home", onclick: opened }, blocks.map((block) => {
    if (block.kind === "divider") return el("hr", { class: "home-divider" });
    if (block.kind === "header") return el("h2", { class: "home-header", text: block.text });
    return el("div", { class: `home-${block.kind}` }, richText(block.parts));
  }));
}
