/**
 * Hash routing (`#/quality?institutionId=H001`): the server only has to serve index.html at `/`,
 * and a drill-down state can be bookmarked. Small enough not to need a router library.
 */
import { useEffect, useState } from 'react';

export interface Location {
  page: string;
  params: URLSearchParams;
}

function read(): Location {
  const h = window.location.hash.replace(/^#\/?/, '');
  const [page = '', qs = ''] = h.split('?');
  return { page, params: new URLSearchParams(qs) };
}

export function navigate(page: string, params?: Record<string, string>): void {
  const qs = params ? new URLSearchParams(params).toString() : '';
  window.location.hash = `#/${page}${qs ? `?${qs}` : ''}`;
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const on = () => setLoc(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return loc;
}
