import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The Content-Security-Policy of every response. The web app is Vite's bundle: module scripts and stylesheets from
 * our origin, no inline script or style, no eval (the editor turns zod's eval probe off). React and React Flow
 * apply inline styles through the DOM's style properties, which CSP does not govern (checked in Chromium).
 * The favicon is a `data:` image; socket.io connects to our own origin ('self' covers ws: and wss: there).
 * No upgrade-insecure-requests: plain-http installs on a LAN address would break; HSTS does that job over TLS.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/**
 * Swagger UI (/api/docs, its page and assets only) injects a <style> element at run time, so there styles may be
 * inline; scripts stay 'self'-only. Passed to @fastify/swagger-ui as `transformStaticCSP`.
 */
export const swaggerUiCsp = (header: string) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every response, API and web app alike (helmet): CSP, frame-ancestors 'none' with its legacy
 * X-Frame-Options twin, nosniff, no Referer, same-origin opener and resources. HSTS only on requests that arrived
 * over TLS, directly or through a proxy trusted by TRUST_PROXY (`request.protocol` reads X-Forwarded-Proto only
 * then): sent over plain http it would be ignored at best and, behind a misconfigured proxy, lock users out.
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
    app.addHook('onRequest', async (request, reply) => {
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    });
  },
  { name: 'duet-security-headers' },
);
