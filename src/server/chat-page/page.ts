import { CSP_DIRECTIVES } from '../plugins/security-headers.ts';

const escapeHtml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The chat page's CSP: the app's own (scripts and styles from our origin only, nothing inline), except that the
 * sites allowed to embed the widget may frame it.
 */
export function pageCsp(allowedOrigins: readonly string[]): string {
  const ancestors = allowedOrigins.length > 0 ? allowedOrigins.map((o) => new URL(o).origin) : ["'none'"];
  return Object.entries({ ...CSP_DIRECTIVES, 'frame-ancestors': ancestors })
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Duet's mark, as the web app's (web/index.html): inline, so the browser asks for no /favicon.ico. */
const ICON =
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><circle cx='11' cy='16' r='9' fill='%236d5dfc'/><circle cx='21' cy='16' r='9' fill='%2322c3a6' fill-opacity='.8'/></svg>";

/** The page: markup only; /c/assets/chat.js reads its settings from data attributes and does the talking. */
export function chatPageHtml(page: { title: string; endpoint: string; passwordRequired: boolean }): string {
  const title = escapeHtml(page.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="${ICON}">
<link rel="stylesheet" href="/c/assets/chat.css">
<script type="module" src="/c/assets/chat.js"></script>
</head>
<body>
<main id="chat" data-endpoint="${escapeHtml(page.endpoint)}" data-password="${page.passwordRequired}">
<header><h1>${title}</h1></header>
<form id="unlock" hidden><label>Password <input id="password" type="password" autocomplete="current-password" required></label><button>Open</button></form>
<ol id="turns" aria-live="polite"></ol>
<p id="status" role="status"></p>
<form id="say" hidden><input id="text" aria-label="Message" autocomplete="off" maxlength="1000" required placeholder="Type a message"><button>Send</button></form>
</main>
</body>
</html>
`;
}
