// The NHS.UK design system's behaviour (header menu, skip link, error summary focus), as an ES module: no inline script.
import { initAll } from '/lib/nhsuk/nhsuk-frontend.min.js';

// The design system styles its scripted components only once it knows scripts run (its template does this inline).
document.body.classList.add('nhsuk-frontend-supported');
initAll();

// The service worker gives an offline page and, later, Web Push notices.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}

// A part of the page that waits for something (a payment confirmed, the therapist letting the patient in, a patient
// arriving) asks every few seconds, and reloads the page once when it has happened. Without script, it offers
// "Check again". Never a timed refresh of the whole page (WCAG 2.2.1).
for (const waiting of document.querySelectorAll('[data-poll]')) {
  const url = waiting.dataset.poll;
  const until = waiting.dataset.pollUntil;
  const timer = setInterval(async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok && (await response.json())[until]) {
        clearInterval(timer);
        location.reload();
      }
    } catch {
      // Offline for a moment: ask again next time.
    }
  }, 3000);
}
