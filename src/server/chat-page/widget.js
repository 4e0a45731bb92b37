// The Duet chat widget: one script tag on any allowed site
//   <script src="https://duet.example.com/c/widget.js" data-workspace="acme" data-chat="support" async></script>
// adds a chat bubble that opens the workflow's chat page in a frame. Styles are set through the DOM (CSSOM),
// which Content-Security-Policy allows on the host page without 'unsafe-inline'.
(() => {
  const script = document.currentScript;
  if (!script || !script.dataset.workspace || !script.dataset.chat) return;
  const origin = new URL(script.src).origin;
  const page = `${origin}/c/${encodeURIComponent(script.dataset.workspace)}/${encodeURIComponent(script.dataset.chat)}`;
  const style = (element, values) => Object.assign(element.style, values);

  const bubble = document.createElement('button');
  bubble.type = 'button';
  bubble.textContent = script.dataset.label || 'Chat';
  bubble.setAttribute('aria-expanded', 'false');
  bubble.dataset.duetChat = 'bubble';
  style(bubble, {
    position: 'fixed',
    right: '1.25rem',
    bottom: '1.25rem',
    zIndex: '2147483000',
    padding: '0.75rem 1.1rem',
    border: '0',
    borderRadius: '999px',
    background: '#2563eb',
    color: '#fff',
    font: '600 15px system-ui, sans-serif',
    boxShadow: '0 4px 14px rgba(15, 23, 42, 0.25)',
    cursor: 'pointer',
  });

  let frame = null;
  bubble.addEventListener('click', () => {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = page;
      frame.title = 'Chat';
      frame.dataset.duetChat = 'frame';
      style(frame, {
        position: 'fixed',
        right: '1.25rem',
        bottom: '4.75rem',
        zIndex: '2147483000',
        width: 'min(24rem, calc(100vw - 2.5rem))',
        height: 'min(36rem, calc(100vh - 7rem))',
        border: '1px solid #e2e8f0',
        borderRadius: '0.75rem',
        boxShadow: '0 8px 28px rgba(15, 23, 42, 0.25)',
        background: '#fff',
      });
      document.body.append(frame);
    } else frame.hidden = !frame.hidden;
    bubble.setAttribute('aria-expanded', String(!frame.hidden));
  });
  document.body.append(bubble);
})();
