/* global window, document, history, requirejs */
/**
 * The deal card page, Kommo-style: draws the card from /_host/api/leads/:id and loads the widget
 * the way Kommo does (shared/docs/platform-kommo.md §1.7–1.9):
 *   RequireJS with jQuery as the AMD module 'jquery' → require(['<path>/script.js']) → Kommo's system
 *   methods copied onto the constructor's prototype → new → render, init, bind_actions (each must
 *   return true for the next to run). Opening another card triggers `page:changed` and `destroy`.
 * `window.kommoHost` exposes what tests look at: the callback log and `open(leadId)`.
 */
(function () {
  'use strict';
  var boot = window.KOMMO_HOST_BOOT;
  var log = [];
  var state = { widget: null, leadId: boot.leadId, card: null, refreshTimer: null, errors: [] };

  requirejs.config({ paths: { jquery: '/_host/vendor/jquery' }, waitSeconds: 30 });
  requirejs.onError = function (error) {
    state.errors.push(String(error && error.message ? error.message : error));
    log.push('requirejs-error');
  };

  requirejs(['jquery'], function ($) {
    var widgetPath = boot.widget.path;
    var meta = { manifest: null, langs: {} };

    function text(value) {
      return value == null ? '' : String(value);
    }
    function el(tag, attrs, children) {
      var node = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (key) {
        if (key === 'text') node.textContent = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
      (children || []).forEach(function (child) {
        if (child) node.appendChild(child);
      });
      return node;
    }
    function when(unixSeconds) {
      return new Date(unixSeconds * 1000).toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
    }

    // ---------------------------------------------------------------- the card (left, feed)
    function drawCard(card) {
      state.card = card;
      document.title = card.name + ' · Kommo';
      $('[data-testid="deal-name"]').text(card.name);
      var stages = $('[data-testid="deal-stages"]').empty();
      var current = card.pipeline.stages.findIndex(function (s) {
        return s.id === card.statusId;
      });
      var status = card.pipeline.stages[current];
      stages.append(el('div', { class: 'kh-stages__pipeline', text: card.pipeline.name + ' · ' + (status ? status.name : '—') }));
      var bar = el('div', { class: 'kh-stages__bar' });
      card.pipeline.stages.forEach(function (stage, index) {
        var seg = el('span', { class: 'kh-stages__seg', title: stage.name });
        if (index <= current) seg.style.background = stage.color;
        bar.appendChild(seg);
      });
      stages.append(bar);
      stages.attr('data-status-id', card.statusId);

      var fields = $('[data-testid="deal-fields"]').empty();
      function row(name, value, testid) {
        var dd = el('dd', { 'data-field': name });
        if (value) dd.textContent = value;
        else dd.appendChild(el('span', { class: 'kh-empty', text: '…' }));
        fields.append(el('div', { class: 'kh-field', 'data-testid': testid || 'field' }, [el('dt', { text: name }), dd]));
      }
      row('Responsible user', card.responsible ? card.responsible.name : '', 'field-responsible');
      row('Budget', card.budget, 'field-budget');
      card.fields.forEach(function (field) {
        row(field.name, field.type === 'textarea' && field.value.length > 180 ? field.value.slice(0, 180) + '…' : field.value, 'field-' + field.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
      });
      if (card.tags.length) {
        var tags = el('dd', {}, card.tags.map(function (t) { return el('span', { class: 'kh-tag', text: t }); }));
        fields.append(el('div', { class: 'kh-field', 'data-testid': 'field-tags' }, [el('dt', { text: 'Tags' }), tags]));
      }
      var contact = $('[data-testid="deal-contact"]').empty();
      if (card.contact) {
        contact.append(el('div', { class: 'kh-contact__title', text: 'Contact' }));
        contact.append(el('div', { class: 'kh-contact__name', text: card.contact.name }));
        if (card.contact.email) contact.append(el('div', { class: 'kh-contact__line', text: card.contact.email }));
        if (card.contact.phone) contact.append(el('div', { class: 'kh-contact__line', text: card.contact.phone }));
      }

      var notes = $('[data-testid="deal-notes"]').empty();
      notes.append(el('li', { class: 'kh-note kh-note--system' }, [
        el('div', { class: 'kh-note__meta', text: when(card.createdAt) }),
        el('div', { text: 'Deal created: ' + card.name }),
      ]));
      card.notes.forEach(function (note) {
        notes.append(el('li', { class: 'kh-note', 'data-testid': 'note', 'data-note-type': note.type }, [
          el('div', { class: 'kh-note__meta', text: when(note.createdAt) + ' · ' + note.author }),
          el('div', { class: 'kh-note__text', text: note.text }),
        ]));
      });
    }

    function loadCard(leadId) {
      return $.ajax({ url: '/_host/api/leads/' + leadId, dataType: 'json', cache: false })
        .done(function (card) {
          if (leadId === state.leadId) drawCard(card);
        })
        .fail(function (xhr) {
          $('[data-testid="deal-name"]').text(xhr.status === 404 ? 'Deal not found' : 'Could not load the deal');
        });
    }

    // ---------------------------------------------------------------- Kommo's widget runtime
    function i18n(key) {
      var parts = String(key).split('.');
      var value = meta.langs;
      for (var i = 0; i < parts.length; i++) {
        if (value == null || typeof value !== 'object') return key;
        value = value[parts[i]];
      }
      return value == null ? key : value;
    }

    function systemMethods() {
      var settings = {
        server_url: boot.widget.serverUrl,
        widget_code: boot.widget.code,
        path: widgetPath,
        version: meta.manifest ? meta.manifest.widget.version : '0.0.0',
        active: 'Y',
        status: 'installed',
        images_path: widgetPath + '/images',
        oauth_client_uuid: '',
        id: '1',
      };
      return {
        params: settings,
        langs: meta.langs,
        get_settings: function () {
          return $.extend({}, settings);
        },
        set_settings: function (values) {
          $.extend(settings, values);
        },
        get_version: function () {
          return settings.version;
        },
        get_install_status: function () {
          return 'installed';
        },
        i18n: i18n,
        system: function () {
          return {
            area: 'lcard',
            amouser: boot.user.email,
            amouser_id: boot.user.id,
            amohash: 'fake-session-hash',
            domain: window.location.host,
            subdomain: boot.account.subdomain,
            server: 'loopback',
            displayed_count: 1,
            displayed_count_by_area: { lcard: 1 },
          };
        },
        /** Wraps `body` in Kommo's standard widget block in the card's right column. */
        render_template: function (options) {
          var caption = (options && options.caption) || {};
          var block = el('div', { class: 'card-widgets__widget kh-widget', 'data-code': settings.widget_code }, [
            el('div', { class: 'card-widgets__widget__caption kh-widget__caption ' + text(caption.class_name) }, [
              el('img', { class: 'kh-widget__logo', src: settings.images_path + '/logo_min.png', alt: '' }),
              el('span', { text: i18n('widget.name') }),
            ]),
          ]);
          var body = el('div', { class: 'card-widgets__widget__body kh-widget__body' });
          body.innerHTML = text(options && options.body) + text(options && options.render);
          block.appendChild(body);
          document.getElementById('card_widgets').appendChild(block);
        },
        /** $.ajax plus the one-time X-Auth-Token (minted by the host, as Kommo mints it). */
        $authorizedAjax: function (options) {
          var deferred = $.Deferred();
          $.ajax({ url: '/_host/token', method: 'POST', dataType: 'json' })
            .done(function (answer) {
              var call = $.extend({}, options);
              call.headers = $.extend({}, options.headers, { 'X-Auth-Token': answer.token });
              $.ajax(call)
                .done(function (data, textStatus, xhr) {
                  deferred.resolve(data, textStatus, xhr);
                })
                .fail(function (xhr, textStatus, error) {
                  deferred.reject(xhr, textStatus, error);
                });
            })
            .fail(function (xhr, textStatus, error) {
              deferred.reject(xhr, textStatus, error);
            });
          return deferred.promise();
        },
        list_selected: function () {
          return { count_selected: 0, selected: [] };
        },
        set_status: function () {},
      };
    }

    function setApp(leadId) {
      var app = {
        lang_id: boot.language,
        data: { current_card: { id: leadId, model: null }, current_entity: 'leads' },
        widgets: { system: { area: 'lcard' } },
        isCard: function () {
          return true;
        },
        getBaseEntity: function () {
          return 'leads';
        },
        getWidgetsArea: function () {
          return 'leads_card';
        },
        constant: function (name) {
          if (name === 'account') return { id: boot.account.id, subdomain: boot.account.subdomain, language: boot.language };
          if (name === 'user') return { id: boot.user.id, name: boot.user.name, login: boot.user.email };
          if (name === 'user_rights') return { is_admin: boot.isAdmin ? 'Y' : 'N' };
          if (name === 'managers') {
            var managers = {};
            managers[boot.user.id] = { id: boot.user.id, title: boot.user.name, login: boot.user.email };
            return managers;
          }
          return undefined;
        },
        notifications: {
          show_message: function () {},
          show_message_error: function () {},
          add_error: function () {},
        },
      };
      window.APP = app;
      window.AMOCRM = app;
    }

    function runCallbacks(Widget) {
      $.extend(Widget.prototype, systemMethods());
      var widget = new Widget();
      state.widget = widget;
      var order = ['render', 'init', 'bind_actions'];
      for (var i = 0; i < order.length; i++) {
        var name = order[i];
        var result = widget.callbacks && typeof widget.callbacks[name] === 'function' ? widget.callbacks[name].call(widget) : undefined;
        log.push(name + ':' + result);
        if (result !== true) break; // Kommo stops here
      }
    }

    function loadWidget() {
      requirejs([widgetPath + '/script.js'], function (Widget) {
        log.push('loaded');
        runCallbacks(Widget);
      });
    }

    /** Leaving the card: what Kommo's SPA does before it draws another page. */
    function leaveCard() {
      $(document).trigger('page:changed');
      log.push('page:changed');
      if (state.widget && state.widget.callbacks && typeof state.widget.callbacks.destroy === 'function') {
        state.widget.callbacks.destroy.call(state.widget);
        log.push('destroy');
      }
      state.widget = null;
      $('#card_widgets').empty();
    }

    /** Opens another deal in place (Kommo is a single-page app): page:changed, destroy, new card. */
    function open(leadId) {
      leaveCard();
      state.leadId = leadId;
      history.pushState({ leadId: leadId }, '', '/leads/detail/' + leadId);
      $('#card').attr('data-lead-id', leadId);
      $('[data-testid="deal-name"]').text('…');
      setApp(leadId);
      loadCard(leadId);
      loadWidget();
    }

    $(document).on('click', 'a[data-nav]', function () {
      leaveCard();
    });
    window.addEventListener('popstate', function (event) {
      if (event.state && event.state.leadId) window.location.reload();
    });

    window.kommoHost = {
      log: log,
      errors: state.errors,
      open: open,
      leave: leaveCard,
      refreshCard: function () {
        return loadCard(state.leadId);
      },
      card: function () {
        return state.card;
      },
    };

    setApp(state.leadId);
    $.when(
      $.getJSON(widgetPath + '/manifest.json').done(function (manifest) {
        meta.manifest = manifest;
      }),
      $.getJSON(widgetPath + '/i18n/' + boot.language + '.json')
        .done(function (langs) {
          meta.langs = langs;
        })
        .fail(function () {
          return $.getJSON(widgetPath + '/i18n/en.json').done(function (langs) {
            meta.langs = langs;
          });
        }),
    ).always(function () {
      loadCard(state.leadId);
      loadWidget();
    });
    // Kommo's card updates itself when the deal changes; here: re-read every few seconds.
    state.refreshTimer = window.setInterval(function () {
      if (document.visibilityState !== 'hidden') loadCard(state.leadId);
    }, 3000);
  });
})();
