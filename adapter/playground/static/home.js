// The app's Home tab: what the app published for the user (views.publish), drawn from
// the server's blocks: headers, sections and context lines as text, and dividers.
import { el, richText } from "./render.js";

export const HOME = "home"; // the page's name for the tab, in place of a channel id

/** The Home tab's content from ``blocks`` (see home_json on the server). */
export function homeView(blocks) {
  return el("div", { class: "home" }, blocks.map((block) => {
    if (block.kind === "divider") return el("hr", { class: "home-divider" });
    if (block.kind === "header") return el("h2", { class: "home-header", text: block.text });
    return el("div", { class: `home-${block.kind}` }, richText(block.parts));
  }));
}
