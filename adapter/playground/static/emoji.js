// Slack emoji shortcodes: the server's copy of the `emoji` package's dataset (/api/emoji),
// loaded once, so the page draws every emoji Slack knows without a hand-kept table.
import { api } from "./api.js";

let names = new Map(); // shortcode, lowercase and without colons -> the emoji
let loading = null;

/** Load the shortcode map (once; a failed load is tried again on the next call). */
export function loadEmoji() {
  loading ??= api("/api/emoji").then((map) => { names = new Map(Object.entries(map)); })
    .catch((error) => { loading = null; throw error; });
  return loading;
}

/** The emoji for ":name:" (or "name"), or null when the map does not know it. */
export function emoji(shortcode) {
  const name = shortcode.replace(/^:|:$/g, "").replace(/::skin-tone-\d$/, "").toLowerCase();
  return names.get(name) ?? null;
}
