import { useEffect, useState } from 'react';
import { matchRoute, type Route } from './router.ts';

/** Goes to `to` inside the app; `replace` for redirects, so Back does not return to the page that redirected. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route; follows back/forward and `navigate()`. */
export function useRoute(): Route {
  const read = () => matchRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const onPop = () => setRoute(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return route;
}
