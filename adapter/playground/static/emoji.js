// A small built-in map of common Slack emoji shortcodes: nothing is fetched to draw them.
const EMOJI = {
  "+1": "👍", "-1": "👎", airplane: "✈️", alarm_clock: "⏰", bar_chart: "📊", bed: "🛏️",
  bell: "🔔", bento: "🍱", bike: "🚲", books: "📚", briefcase: "💼", bulb: "💡",
  bust_in_silhouette: "👤", busts_in_silhouette: "👥", calendar: "📆", car: "🚗",
  chart_with_upwards_trend: "📈", clipboard: "📋", coffee: "☕", compass: "🧭",
  computer: "💻", credit_card: "💳", date: "📅", desktop_computer: "🖥️", dollar: "💵",
  earth_africa: "🌍", earth_americas: "🌎", email: "📧", envelope: "✉️", eyes: "👀",
  file_folder: "📁", fire: "🔥", gear: "⚙️", globe_with_meridians: "🌐", hammer: "🔨",
  hammer_and_wrench: "🛠️", heart: "❤️", hospital: "🏥", hotel: "🏨", house: "🏠",
  hourglass: "⌛", information_source: "ℹ️", key: "🔑", ledger: "📒", lock: "🔒",
  mag: "🔍", mailbox: "📫", memo: "📝", money_with_wings: "💸", moneybag: "💰",
  office: "🏢", package: "📦", palm_tree: "🌴", pencil: "📝", pencil2: "✏️", phone: "☎️",
  pill: "💊", pizza: "🍕", question: "❓", robot_face: "🤖", rocket: "🚀",
  school: "🏫", shield: "🛡️", ship: "🚢", shopping_cart: "🛒", sparkles: "✨",
  speech_balloon: "💬", star: "⭐", sunny: "☀️", tada: "🎉", taxi: "🚕",
  telephone_receiver: "📞", thumbsup: "👍", ticket: "🎫", train: "🚆", truck: "🚚",
  umbrella: "☂️", warning: "⚠️", wave: "👋", white_check_mark: "✅", wrench: "🔧", x: "❌",
  zap: "⚡",
};

/** The emoji for ":name:" (or "name"), or null when the map does not know it. */
export function emoji(shortcode) {
  const name = shortcode.replace(/^:|:$/g, "").replace(/::skin-tone-\d$/, "");
  return Object.prototype.hasOwnProperty.call(EMOJI, name) ? EMOJI[name] : null;
}
