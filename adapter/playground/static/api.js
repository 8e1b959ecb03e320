// Talking to the playground server: its JSON API and its live socket.

/** What the page says when no server answers at all (stopped, or never started). */
export function notRunning(retry = "try again") {
  return `The playground is not running: start it again with \`make run\`, then ${retry}.`;
}

/** GET ``path`` (no body) or POST ``body`` as JSON; the answer's JSON, or an Error whose
 * message is a sentence for the user. ``retry`` says what to do once the server is back. */
export async function api(path, body, retry = "try again") {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    // fetch rejects only when no HTTP answer came (its "Failed to fetch" says nothing useful).
    throw new Error(notRunning(retry));
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
  return data;
}

/** Open the live socket: each push goes to ``onEvent``; when the server goes away,
 * ``onClose`` is told and the socket tries again, backing off to every 5 s. */
export function listen(onEvent, onClose, delay = 500) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/api/live`);
  ws.onopen = () => { delay = 500; };
  ws.onmessage = (event) => onEvent(JSON.parse(event.data));
  ws.onclose = () => {
    onClose();
    setTimeout(() => listen(onEvent, onClose, Math.min(delay * 2, 5000)), delay);
  };
}
