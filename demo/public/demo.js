/* global window, document, fetch */
/**
 * The demo pages' behaviour: board buttons move deals (the server-side handler sends Kommo's
 * webhook), Linear pickers change issues (the fake Linear sends its signed webhook), the activity
 * list refreshes itself, and a page reloads when what it shows has changed.
 */
(function () {
  'use strict';
  // The version of what the page shows, rendered with it (a change before the first poll still counts).
  var content = document.querySelector('[data-reload-on-change]');
  var loadedVersion = content ? content.getAttribute('data-reload-on-change') : null;

  function post(url, body) {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (r) {
      return r.json();
    });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button[data-move]') : null;
    if (!button) return;
    button.disabled = true;
    button.textContent = '…';
    post('/_demo/leads/' + button.getAttribute('data-move') + '/status', { statusId: Number(button.getAttribute('data-status')) }).then(function () {
      window.location.reload();
    });
  });

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[data-field]')) return;
    var issue = select.closest('[data-issue-id]');
    var patch = {};
    patch[select.getAttribute('data-field')] = select.value;
    select.disabled = true;
    post('/_demo/linear/issues/' + issue.getAttribute('data-issue-id'), patch).then(function () {
      window.setTimeout(function () {
        window.location.reload();
      }, 300);
    });
  });

  function time(iso) {
    return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function render(entries) {
    var list = document.querySelector('[data-testid="activity"]');
    if (!list) return;
    list.innerHTML = '';
    if (!entries.length) {
      var empty = document.createElement('li');
      empty.className = 'dm-muted';
      empty.textContent = 'Nothing yet: move a deal to Won.';
      list.appendChild(empty);
    }
    entries.forEach(function (entry) {
      var li = document.createElement('li');
      li.className = 'dm-event dm-event--' + entry.kind;
      li.setAttribute('data-kind', entry.kind);
      var head = document.createElement('div');
      head.className = 'dm-event__head';
      head.textContent = time(entry.at) + '  ' + entry.title;
      var status = document.createElement('span');
      status.className = 'dm-event__status';
      status.textContent = entry.status;
      head.appendChild(status);
      var detail = document.createElement('div');
      detail.className = 'dm-event__detail';
      detail.textContent = entry.detail;
      li.appendChild(head);
      li.appendChild(detail);
      list.appendChild(li);
    });
  }

  function busy() {
    var active = document.activeElement;
    return active && (active.tagName === 'SELECT' || active.tagName === 'INPUT');
  }

  function poll() {
    fetch('/_demo/api/activity', { cache: 'no-store' })
      .then(function (r) {
        return r.json();
      })
      .then(function (answer) {
        render(answer.entries);
        if (loadedVersion !== null && answer.version !== loadedVersion && !busy()) window.location.reload();
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, 1500);
      });
  }
  poll();
})();
