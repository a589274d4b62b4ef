// The clinic's service worker: an offline page when the network is gone, and Web Push notices (a title and a line,
// never clinical content) that open the app when tapped.
const OFFLINE = '/offline.html';

self.addEventListener('install', event => {
  event.waitUntil(caches.open('clinic-v1').then(cache => cache.addAll([OFFLINE])));
  self.skipWaiting();
});

self.addEventListener('fetch', event => {
  if (event.request.mode === 'navigate') {
    event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE)));
  }
});

self.addEventListener('push', event => {
  const notice = event.data ? event.data.json() : { title: 'EventSourcedClinic', body: '' };
  event.waitUntil(self.registration.showNotification(notice.title, { body: notice.body, data: { url: notice.url || '/' } }));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  event.waitUntil(clients.openWindow(event.notification.data.url));
});
