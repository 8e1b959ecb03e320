// The playground page: its state, what the user does, and the views (server: api.js).
import { api, listen } from "./api.js";
import { loadEmoji } from "./emoji.js";
import { panelView } from "./panel.js";
import { agentThreads, statusLine } from "./agent.js";
import { HOME, homeView } from "./home.js";
import { avatar, el, messageNode, personaLabel, richText } from "./render.js";

const $ = (id) => document.getElementById(id);
const state = {
  app: { name: "Baton" }, users: [], channels: [], personas: [], dmIdle: 1800,
  messages: new Map(), // "channel ts" -> message; the highest revision wins
  user: localStorage.getItem("baton.user"),
  channel: localStorage.getItem("baton.channel"),
  instance: null, // the playground's run id, from the socket's hello
  threads: {}, // channel -> the selected thread's ts; null: the next message starts one
  awaitingRoot: null, // channel where our new thread's first message is on its way
  panelRequest: 0,
  statuses: {}, // "channel thread" -> the thread's status line (agent threads)
  ephemeral: [], // messages the app showed one user only (answers to /baton)
};

const isDm = (channel) => channel.startsWith("D");
const isHome = () => state.channel === HOME;
const me = () => state.users.find((u) => u.id === state.user);
const selectedThread = () => state.threads[state.channel] ?? null; // in a DM: an agent thread
const channelOf = (id) => state.channels.find((c) => c.id === id);
const byTs = (a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0); // same-width Slack ts strings

// --- state from the server ------------------------------------------------------------

function remember(msg) {
  const known = state.messages.get(`${msg.channel} ${msg.ts}`);
  if (!known || known.rev <= msg.rev) state.messages.set(`${msg.channel} ${msg.ts}`, msg);
}

async function loadState() {
  const [data] = await Promise.all([api("/api/state"), loadEmoji()]);
  Object.assign(state, { app: data.app, users: data.users, channels: data.channels,
    personas: data.personas, dmIdle: data.dm_idle_timeout });
  (data.statuses || []).forEach((s) => { state.statuses[`${s.channel} ${s.thread}`] = s; });
  data.messages.forEach(remember);
  state.ephemeral = data.ephemeral || [];
  if (!me()) state.user = state.users[0].id;
  if (!channelOf(state.channel) && state.channel !== me().dm && !isHome()) {
    state.channel = state.channels[0].id;
  }
  renderAll();
}

// Pushes from the server; after each, the view is redrawn from state (it is small).
function onPush(event) {
  if (event.type === "hello") {
    if (event.instance !== state.instance) { // a new playground: what we had is gone
      state.messages.clear();
      state.threads = {};
      state.instance = event.instance;
    }
    loadState().then(() => setLive("ready")).catch(showError);
  } else if (event.type === "message") {
    const msg = event.message;
    remember(msg);
    if (!msg.is_reply && msg.user === state.user && state.awaitingRoot === msg.channel) {
      state.threads[msg.channel] = msg.ts; // our new thread: follow it as it fills
      state.awaitingRoot = null;
      renderComposer();
    }
    renderFeed();
    if (concernsView(msg.channel, msg.thread)) refreshPanel();
  } else if (event.type === "ephemeral") {
    state.ephemeral.push(event.message);
    renderFeed();
  } else if (event.type === "status") {
    state.statuses[`${event.channel} ${event.thread}`] = event;
    renderFeed();
  } else if (event.type === "settled" && concernsView(event.channel, event.thread)) {
    refreshPanel();
  }
}

function concernsView(channel, thread) {
  return channel === state.channel && ((isDm(channel) && !selectedThread()) ||
    thread === selectedThread());
}

async function refreshPanel() {
  if (isHome()) return; // the Home tab is no conversation
  const request = ++state.panelRequest;
  const params = new URLSearchParams({ channel: state.channel, user: state.user });
  const thread = selectedThread();
  if (thread) params.set("thread", thread);
  try {
    const panel = await api(`/api/panel?${params}`);
    if (request === state.panelRequest) renderPanel(panel); // answers can overtake each other
  } catch (error) {
    if (request === state.panelRequest) showError(error);
  }
}

// --- actions -------------------------------------------------------------------------

async function send(event) {
  event.preventDefault();
  const input = $("composer-input");
  const typed = input.value;
  const text = typed.trim();
  if (!text || $("send").disabled) return;
  const body = { channel: state.channel, user: state.user, text };
  const thread = selectedThread();
  if (thread) body.thread = thread;
  else if (!isDm(state.channel)) state.awaitingRoot = state.channel;
  setBusy(true);
  try {
    const result = await api("/api/say", body, "resend");
    // Cleared only once the message is in, so a failed send leaves it there to resend;
    // anything typed while it was on its way stays.
    if (input.value.startsWith(typed)) input.value = input.value.slice(typed.length);
    if (result.thread && !isDm(result.channel)) state.threads[result.channel] = result.thread;
    renderFeed();
    renderComposer();
    refreshPanel();
  } catch (error) {
    showError(error);
  } finally {
    state.awaitingRoot = null;
    setBusy(false);
    input.focus();
  }
}

async function click(msg, label, button) {
  button.parentElement.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  if (!isDm(msg.channel)) selectThread(msg.thread);
  setBusy(true);
  try {
    await api("/api/click", { channel: msg.channel, ts: msg.ts, label, user: state.user });
    refreshPanel();
  } catch (error) {
    showError(error);
    button.parentElement.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  } finally {
    setBusy(false);
  }
}

async function newThread() {
  state.threads[state.channel] = null; // in a DM: back to its top-level conversation
  if (isDm(state.channel)) {
    try {
      await api("/api/dm/new", { user: state.user }); // Slack's clock skips the idle time
    } catch (error) {
      showError(error);
    }
  }
  renderFeed();
  renderComposer();
  refreshPanel();
  $("composer-input").focus();
}

function selectThread(ts) {
  if (state.threads[state.channel] === ts) return;
  state.threads[state.channel] = ts;
  renderFeed();
  renderComposer();
  refreshPanel();
}

/** Open ``channel`` with its thread ``ts`` selected (a link on the Home tab); a DM is
 * opened as it is (its conversation is the DM itself). */
function openThread(channel, ts) {
  if (!channelOf(channel)) {
    open(me().dm);
    return;
  }
  state.threads[channel] = ts;
  open(channel);
}

function open(channel) {
  state.channel = channel;
  localStorage.setItem("baton.channel", channel);
  renderAll();
}

function switchUser(user) {
  const wasDm = isDm(state.channel);
  state.user = user;
  localStorage.setItem("baton.user", user);
  if (wasDm) state.channel = me().dm; // each person has their own DM with the app
  renderAll();
}

// --- views ---------------------------------------------------------------------------

function renderAll() {
  document.body.dataset.view = isHome() ? "home" : "conversation";
  renderSidebar();
  if (isHome()) {
    showHome();
    return;
  }
  renderFeed();
  renderComposer();
  refreshPanel();
}

/** Open the app's Home tab as the current user: the app publishes it, the page draws it. */
async function showHome() {
  $("feed").replaceChildren(el("div", { class: "feed-empty", text: "Opening the Home tab…" }));
  const user = state.user;
  try {
    const home = await api("/api/home", { user });
    if (isHome() && state.user === user) $("feed").replaceChildren(homeView(home.blocks, openThread));
  } catch (error) {
    showError(error);
  }
}

function navItem(id, label, icon) {
  return el("li", {}, [el("button", {
    type: "button", class: `nav-item${state.channel === id ? " active" : ""}`,
    dataset: { channel: id }, onclick: () => open(id),
  }, [icon, el("span", { text: label })])]);
}

function renderSidebar() {
  $("channels").replaceChildren(...state.channels.map((c) =>
    navItem(c.id, c.name, el("span", { class: "hash", text: "#" }))));
  $("apps").replaceChildren(navItem(HOME, `${state.app.name} · Home`, avatar(state.app.name, ":house:", "tiny")));
  $("dms").replaceChildren(navItem(me().dm, state.app.name, avatar(state.app.name, state.app.icon, "tiny")));
  $("personas").replaceChildren(...state.personas.map((p) => el("li", { class: "persona" }, [
    personaLabel(p), el("span", { class: "skills", text: p.skills.join(", ") }),
  ])));
  const switcher = $("user-switcher");
  switcher.replaceChildren(...state.users.map((u) =>
    el("option", { value: u.id, text: u.name, selected: u.id === state.user })));
  $("me-avatar").replaceWith(Object.assign(avatar(me().name, null, "small"), { id: "me-avatar" }));
  const channel = channelOf(state.channel);
  $("channel-title").textContent = channel ? `# ${channel.name}` : state.app.name;
  $("channel-topic").textContent = channel ? channel.topic : isHome()
    ? "The app's Home tab: who helps with what, and your recent conversations"
    : `Your direct messages with the app: ${state.personas.map((p) => p.display_name).join(", ")}`;
  $("new-thread").textContent = channel ? "New thread" : "New conversation";
  $("new-agent-thread").hidden = Boolean(channel) || isHome();
  $("new-thread").hidden = isHome();
  $("details-title").textContent = isHome() ? "Home tab"
    : channel ? "Thread details" : "Conversation details";
  if (isHome()) $("details-conversation").textContent = "published by the app (views.publish) when you open it";
}

/** What the app showed the current user alone in this channel (Slack's "Only visible to you"). */
const whispers = () => state.ephemeral.filter((m) => m.channel === state.channel && m.only_for === state.user);

function renderFeed() {
  if (isHome()) return; // the Home tab is drawn once, when opened
  const feed = $("feed");
  const atBottom = feed.scrollHeight - feed.scrollTop - feed.clientHeight < 60;
  const messages = [...state.messages.values()].filter((m) => m.channel === state.channel).sort(byTs);
  feed.replaceChildren(...(isDm(state.channel) ? dmView(messages) : threadsView(messages)));
  if (atBottom) feed.scrollTop = feed.scrollHeight; // follow new messages, unless scrolled up
}

function threadsView(messages) {
  const roots = messages.filter((m) => !m.is_reply).concat(whispers().filter((m) => !m.is_reply)).sort(byTs);
  const intro = el("div", { class: "feed-empty" }, [ // Slack's top-of-history banner
    el("strong", { text: `This is the very beginning of #${channelOf(state.channel).name}.` }),
    el("p", { text: `Type below to start a thread: its first message mentions @${state.app.name}, as in Slack.` }),
  ]);
  return [intro, ...roots.map((root) => {
    if (root.only_for) return messageNode(root, click);
    const replies = messages.filter((m) => m.is_reply && m.thread === root.ts);
    const selected = root.ts === selectedThread();
    return el("article", {
      class: `thread${selected ? " selected" : ""}`, dataset: { thread: root.ts },
      onclick: (event) => { if (!event.target.closest("button, a")) selectThread(root.ts); },
    }, [
      messageNode(root, click),
      el("div", { class: "replies" }, replies.map((m) => messageNode(m, click))),
      statusLine(state.statuses, root.channel, root.ts) || "",
      el("div", { class: "thread-footer" }, [
        el("span", { text: `${replies.length} ${replies.length === 1 ? "reply" : "replies"}` }),
        selected ? el("span", { class: "replying", text: "· replying here" })
          : el("button", { type: "button", class: "link-button", text: "Reply in thread",
            onclick: () => selectThread(root.ts) }),
      ]),
    ]);
  })];
}

function dmView(messages) {
  const nodes = [el("div", { class: "feed-empty" }, [
    el("strong", { text: `This is your direct message with ${state.app.name}.` }),
    el("p", { text: "Every persona answers here under its own name; top-level messages are one conversation until it goes idle." }),
  ])];
  messages.forEach((m, i) => {
    if (i > 0 && parseFloat(m.ts) - parseFloat(messages[i - 1].ts) > state.dmIdle) {
      nodes.push(el("div", { class: "divider" }, [el("span", { text: "new conversation" })]));
    }
    if (!m.is_reply) nodes.push(messageNode(m, click));
  });
  nodes.push(...whispers().map((m) => messageNode(m, click)));
  return nodes.concat(agentThreads(messages, selectedThread(), (m) => messageNode(m, click),
    selectThread, state.statuses));
}

function renderComposer() {
  if (isHome()) return;
  const thread = selectedThread();
  const channel = channelOf(state.channel);
  const root = thread && state.messages.get(`${state.channel} ${thread}`);
  let target = `Direct message to ${state.app.name}`;
  if (channel && root) target = `Replying in the thread “${root.text.slice(0, 60)}”`;
  else if (!channel && thread) target = `Replying in an agent thread with ${state.app.name}`;
  else if (channel) target = `New thread in #${channel.name}: your message mentions @${state.app.name}`;
  $("composer-target").textContent = target;
  $("composer-cancel").hidden = !(channel && thread);
  $("composer-input").placeholder = channel ? (thread ? "Reply…" : `Message #${channel.name}`)
    : `Message ${state.app.name}`;
}

function renderPanel(panel) {
  panelView(panel, `${me().name} (${state.user})`);
}

function setLive(status) {
  document.body.dataset.live = status;
  $("live-text").textContent = { ready: "Live: fake Slack on this machine", offline: "Reconnecting…" }[status] || "Connecting…";
}

function setBusy(busy) {
  $("send").disabled = busy;
  document.body.dataset.busy = busy ? "yes" : "no";
}

let toastTimer = 0;
function showError(error) {
  const toast = $("toast");
  // Formatted like message text, so a command to run shows as `code`.
  toast.replaceChildren(...richText([{ kind: "text", text: error.message || String(error) }]));
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 8000);
}

$("composer").addEventListener("submit", send);
$("composer-input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});
$("composer-cancel").addEventListener("click", newThread);
$("new-thread").addEventListener("click", newThread);
$("new-agent-thread").addEventListener("click", async () => {
  try {
    const opened = await api("/api/agent/new", { user: state.user });
    state.threads[opened.channel] = opened.thread;
    renderFeed();
    renderComposer();
    refreshPanel();
  } catch (error) {
    showError(error);
  }
});
$("user-switcher").addEventListener("change", (event) => switchUser(event.target.value));
listen(onPush, () => setLive("offline"));
