// Live inbox (progressive enhancement): listens to the caller's alert
// events (server-sent events of /api/v1/alerts/stream, the caller's
// territories only) and announces that the list changed, with a link to
// reload it. Without JavaScript the page is the same list, reloaded by hand.
(function () {
  'use strict';
  var notice = document.getElementById('direct');
  var text = document.getElementById('direct-texte');
  if (!notice || !text || typeof EventSource === 'undefined') return;
  var count = 0;
  var source = new EventSource('/api/v1/alerts/stream');
  source.addEventListener('alert', function (e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    count += 1;
    var row = document.querySelector('tr[data-alert="' + (data.alert_id || '').replace(/[^0-9a-z]/g, '') + '"]');
    if (row) row.classList.add('parcours-changed');
    // Texts come from the page (catalog), "{count}" filled here.
    var template = notice.getAttribute(data.type === 'created' ? 'data-text-new' : 'data-text-changed') || '';
    text.textContent = template.replace('{count}', String(count));
    notice.hidden = false;
    notice.setAttribute('data-events', String(count));
    notice.setAttribute('data-last-alert', data.alert_id || '');
  });
})();
