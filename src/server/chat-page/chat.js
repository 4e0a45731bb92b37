// The public chat page: opens a visitor session (with the password when the page has one), sends messages and
// shows every stored turn of the conversation, polling for progress lines while the page is open.
const root = document.getElementById('chat');
const endpoint = root.dataset.endpoint;
const storageKey = `duet-chat:${endpoint}`;
const list = document.getElementById('turns');
const status = document.getElementById('status');
const say = document.getElementById('say');
const unlock = document.getElementById('unlock');
const POLL_MS = 1500;
let token = sessionStorage.getItem(storageKey);
let lastSeq = 0;

async function call(path, options = {}) {
  const response = await fetch(`${endpoint}${path}`, {
    ...options,
    headers: {
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const body = response.status === 204 ? {} : await response.json();
  if (!response.ok) throw Object.assign(new Error(body.error?.message ?? `error ${response.status}`), response);
  return body;
}

function show(turn) {
  if (turn.seq <= lastSeq) return;
  lastSeq = turn.seq;
  const item = document.createElement('li');
  item.className = turn.role;
  item.textContent = turn.text;
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

async function refresh() {
  const { items } = await call(`/turns?after=${lastSeq}`);
  items.forEach(show);
}

async function open(password) {
  const session = await call('/session', { method: 'POST', body: JSON.stringify(password ? { password } : {}) });
  token = session.token;
  sessionStorage.setItem(storageKey, token);
}

async function begin() {
  unlock.hidden = true;
  say.hidden = false;
  await refresh();
  document.getElementById('text').focus();
  setInterval(() => refresh().catch(() => undefined), POLL_MS);
}

say.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  status.textContent = '';
  try {
    await call('/messages', { method: 'POST', body: JSON.stringify({ text }) });
  } catch (error) {
    status.textContent = error.message;
  }
  await refresh();
});

unlock.addEventListener('submit', async (event) => {
  event.preventDefault();
  status.textContent = '';
  try {
    await open(document.getElementById('password').value);
    await begin();
  } catch (error) {
    status.textContent = error.message;
  }
});

async function start() {
  if (token) {
    try {
      return await begin();
    } catch {
      token = null;
      sessionStorage.removeItem(storageKey);
    }
  }
  if (root.dataset.password === 'true') {
    unlock.hidden = false;
    return;
  }
  await open();
  await begin();
}

start().catch((error) => {
  status.textContent = error.message;
});
