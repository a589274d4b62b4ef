// The NHS.UK design system's behaviour (header menu, skip link, error summary focus), as an ES module: no inline script.
import { initAll } from '/lib/nhsuk/nhsuk-frontend.min.js';

// The design system styles its scripted components only once it knows scripts run (its template does this inline).
document.body.classList.add('nhsuk-frontend-supported');
initAll();

// The service worker gives an offline page and, later, Web Push notices.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}
