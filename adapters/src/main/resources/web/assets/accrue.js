// Small progressive enhancements; every page works without JavaScript.
// A submitted form disables its buttons so a double click cannot send a change twice.
document.addEventListener('submit', function (event) {
  var buttons = event.target.querySelectorAll('button[type=submit]');
  setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
});

// The console shows times in the staff member's own time zone: the browser's, kept in a cookie the server reads.
(function () {
  if (location.pathname.indexOf('/console') !== 0 || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) {
    document.cookie = 'accrue_console_tz=' + encodeURIComponent(zone) + '; Path=/console; Max-Age=31536000; SameSite=Strict';
  }
})();

// Live progress (the billing runs page): an element with data-live-refresh is fetched again every so many
// milliseconds and replaced by its new version, until the server renders it without the attribute (nothing running).
(function () {
  function poll(id, every) {
    setTimeout(function () {
      fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id);
          var current = document.getElementById(id);
          if (!fresh || !current) { return; }
          current.replaceWith(document.importNode(fresh, true));
          if (fresh.hasAttribute('data-live-refresh')) { poll(id, every); }
        })
        .catch(function () { poll(id, every * 2); });
    }, every);
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-live-refresh][id]').forEach(function (el) {
      poll(el.id, Math.max(1000, parseInt(el.getAttribute('data-live-refresh'), 10) || 2000));
    });
  });
})();
