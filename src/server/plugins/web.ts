import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `vite build` puts the web app (`npm run build:web`; `npm start` builds it when missing or stale). */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Paths that belong to the server; everything else is a page of the single-page app. */
const SERVER_PATHS = /^\/(api|socket\.io|health|ready|metrics)(\/|$|\?)/;

const FILE_PATH = /\/[^/]+\.[A-Za-z0-9]{1,8}$/;

const MISSING_BUNDLE_PAGE = `<!doctype html><meta charset="utf-8"><title>Duet</title>
<body style="font:16px system-ui;margin:3rem"><h1>Duet</h1><p>The web app is not built yet. Run <code>npm run build:web</code>
(or <code>npm start</code>, which builds it) and reload. The API is at <a href="/api/docs">/api/docs</a>.</p></body>`;

/**
 * Serves the built web app: hashed assets with a long cache, and index.html for every other page path so
 * that deep links work. Unknown API paths still get the JSON 404.
 */
export async function webPlugin(app: FastifyInstance) {
  const built = existsSync(`${WEB_DIST}index.html`);
  if (built) {
    // File names carry a content hash, so they can be cached for good; a rebuild adds new names.
    await app.register(fastifyStatic, {
      root: `${WEB_DIST}assets`,
      prefix: '/assets/',
      index: false,
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          path.startsWith(`${WEB_DIST}assets`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    // A missing file (an asset of an older build, a typo) is a 404, not the app's page.
    if (SERVER_PATHS.test(request.url) || FILE_PATH.test(request.url.split('?')[0]!)) return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    return built
      ? reply.sendFile('index.html', WEB_DIST)
      : reply.type('text/html; charset=utf-8').send(MISSING_BUNDLE_PAGE);
  });
}
