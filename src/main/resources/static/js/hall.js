// Small progressive enhancements; every page works without this script.
(function () {
  // Code countdown: shows the time left; "I need more time" on the page extends it on the server.
  var el = document.querySelector('[data-countdown]');
  var left = document.querySelector('[data-countdown-left]');
  if (!el || !left) return;
  var end = Date.parse(el.getAttribute('datetime'));
  var en = document.documentElement.lang === 'en';
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    var text = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
    left.textContent = s > 0 ? text : (en ? 'expired' : '已过期');
    if (s > 0) setTimeout(tick, 1000);
  }
  tick();
})();

(function () {
  // A box with data-refresh (an order's timeline, a payment waiting for its provider) reloads itself
  // from that URL every 2 s until the fresh copy no longer asks to be refreshed.
  function watch(id) {
    var box = document.getElementById(id);
    var url = box && box.getAttribute('data-refresh');
    if (!url) return;
    setTimeout(function () {
      fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html) {
            var next = document.createElement('div');
            next.innerHTML = html;
            var fresh = next.querySelector('#' + id);
            if (fresh) box.replaceWith(fresh);
            // settled: what was offered only while it waited (pay again, the QR code) goes
            if (fresh && !fresh.getAttribute('data-refresh')) {
              document.querySelectorAll('[data-while-pending="' + id + '"]').forEach(function (e) { e.remove(); });
            }
          }
          watch(id);
        })
        .catch(function () { watch(id); });
    }, 2000);
  }
  ['timeline', 'payment-status'].forEach(watch);
})();
