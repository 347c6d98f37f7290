/* global window, document, history, requirejs */
/**
 * The host's pages, Kommo-style, by `KOMMO_HOST_BOOT.page`. Every page loads the widget the way
 * Kommo does (https://developers.kommo.com/docs/script-js): RequireJS with jQuery as the AMD module
 * 'jquery' → require(['<path>/script.js']) → Kommo's system methods copied onto the constructor's
 * prototype → new → render, init, bind_actions (each must return true for the next to run).
 * The system methods include `self.i18n`/`self.langs`: the installed widget's own
 * `i18n/<account language>.json`, read before the widget loads.
 * - `card`: the deal card, drawn from /_host/api/leads/:id (area `lcard`). Opening another card
 *   triggers `page:changed` and `destroy`.
 * - `widgets`: Settings → Integrations (area `settings`); the widget's tile opens Kommo's settings
 *   modal: the manifest's fields, then `settings($modal_body)`; its Save calls `onSave`.
 * - `advanced_settings`: the widget's settings page; after bind_actions, `advancedSettings()`
 *   draws into `#work-area-<code>` (`APP.getWidgetsArea()` = `advanced-settings:<code>`).
 * `window.kommoHost` exposes what tests look at: the callback log and `open(leadId)`.
 */
(function () {
  'use strict';
  var boot = window.KOMMO_HOST_BOOT;
  var log = [];
  var page = boot.page || 'card';
  var AREAS = { card: 'lcard', widgets: 'settings', advanced_settings: 'advanced_settings' };
  var state = { widget: null, leadId: boot.leadId, card: null, refreshTimer: null, errors: [], area: AREAS[page] || 'lcard' };

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
    /**
     * `self.i18n(key)`: a dotted path into the user's locale file, a string or a sub-object
     * (`i18n('settings')`); nothing for a missing key, which is why Kommo's own template wraps it
     * as `i18n(key) || key` (kommo-crm/create-kommo-integration, utils/i18n).
     */
    function i18n(key) {
      var parts = String(key).split('.');
      var value = meta.langs;
      for (var i = 0; i < parts.length; i++) {
        if (value == null || typeof value !== 'object') return undefined;
        value = value[parts[i]];
      }
      return value == null ? undefined : value;
    }
    /** The host's own labels (widget name, setting names) from the widget's file, else the key. */
    function label(key) {
      var value = i18n(key);
      return typeof value === 'string' ? value : key;
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
            area: state.area,
            amouser: boot.user.email,
            amouser_id: boot.user.id,
            amohash: 'fake-session-hash',
            domain: window.location.host,
            subdomain: boot.account.subdomain,
            server: 'loopback',
            displayed_count: 1,
            displayed_count_by_area: (function () {
              var counts = {};
              counts[state.area] = 1;
              return counts;
            })(),
          };
        },
        /** Wraps `body` in Kommo's standard widget block in the card's right column. */
        render_template: function (options) {
          var caption = (options && options.caption) || {};
          var block = el('div', { class: 'card-widgets__widget kh-widget', 'data-code': settings.widget_code }, [
            el('div', { class: 'card-widgets__widget__caption kh-widget__caption ' + text(caption.class_name) }, [
              el('img', { class: 'kh-widget__logo', src: settings.images_path + '/logo_min.png', alt: '' }),
              el('span', { text: label('widget.name') }),
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

    /** Kommo's APP; outside a card there is no `data.current_card`. */
    function setApp(leadId) {
      var inCard = page === 'card';
      var app = {
        lang_id: boot.language,
        data: inCard ? { current_card: { id: leadId, model: null }, current_entity: 'leads' } : { current_entity: 'settings' },
        widgets: { system: { area: state.area } },
        isCard: function () {
          return inCard;
        },
        getBaseEntity: function () {
          return inCard ? 'leads' : 'settings';
        },
        getWidgetsArea: function () {
          if (page === 'advanced_settings') return 'advanced-settings:' + boot.widget.code;
          return inCard ? 'leads_card' : 'settings';
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

    /** render, init, bind_actions; true when all three returned true (Kommo stops otherwise). */
    function runCallbacks(Widget) {
      $.extend(Widget.prototype, systemMethods());
      var widget = new Widget();
      state.widget = widget;
      var order = ['render', 'init', 'bind_actions'];
      for (var i = 0; i < order.length; i++) {
        var name = order[i];
        var result = widget.callbacks && typeof widget.callbacks[name] === 'function' ? widget.callbacks[name].call(widget) : undefined;
        log.push(name + ':' + result);
        if (result !== true) return false; // Kommo stops here
      }
      return true;
    }

    /** Calls one more callback by name (settings, advancedSettings, onSave…) and logs its result. */
    function callback(name, args) {
      var widget = state.widget;
      var fn = widget && widget.callbacks && widget.callbacks[name];
      var result = typeof fn === 'function' ? fn.apply(widget, args || []) : undefined;
      log.push(name + ':' + result);
      return result;
    }

    function loadWidget(then) {
      requirejs([widgetPath + '/script.js'], function (Widget) {
        log.push('loaded');
        if (runCallbacks(Widget) && then) then();
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
      if (page === 'card') leaveCard();
    });
    window.addEventListener('popstate', function (event) {
      if (event.state && event.state.leadId) window.location.reload();
    });

    // ---------------------------------------------------------------- settings locations
    function widgetName() {
      var name = label('widget.name');
      $('[data-role="widget-name"]').text(name);
      document.title = (page === 'advanced_settings' ? label('advanced.title') + ' · ' : '') + name + ' · Kommo';
    }

    /** Kommo's settings modal: the manifest's fields with their saved values, then the widget's part. */
    function openModal() {
      var modal = $('#widget-modal');
      var fields = modal.find('[data-role="fields"]').empty();
      var body = modal.find('.kh-modal__body');
      body.children().not(fields).remove();
      var defs = (meta.manifest && meta.manifest.settings) || {};
      var values = state.widget.get_settings();
      Object.keys(defs).forEach(function (key) {
        var id = 'kh-setting-' + key;
        var input = el('input', { id: id, class: 'kh-input', name: key, type: defs[key].type === 'pass' ? 'password' : 'text' });
        input.value = text(values[key]);
        fields.append(el('div', { class: 'widget_settings_block__item_field kh-setting' }, [el('label', { for: id, text: label(defs[key].name) }), input]));
      });
      var save = el('button', { type: 'button', class: 'kh-btn kh-btn--primary', 'data-role': 'modal-save', text: 'Save' });
      fields.append(el('div', { class: 'kh-modal__actions' }, [save]));
      modal.prop('hidden', false);
      callback('settings', [body]);
    }

    function closeModal() {
      $('#widget-modal').prop('hidden', true);
    }

    $(document).on('click', '[data-role="modal-close"]', closeModal);
    $(document).on('click', '[data-role="modal-save"]', function () {
      var fields = {};
      $('#widget-modal [data-role="fields"] input').each(function () {
        fields[this.name] = this.value;
      });
      var result = callback('onSave', [{ active: 'Y', fields: fields }]);
      if (result !== false) {
        state.widget.set_settings(fields);
        closeModal();
      }
    });
    $(document).on('click', '[data-testid="widget-tile"]', function () {
      if (state.widget) openModal();
    });

    window.kommoHost = {
      log: log,
      errors: state.errors,
      page: page,
      open: open,
      leave: leaveCard,
      openSettingsModal: openModal,
      refreshCard: function () {
        return loadCard(state.leadId);
      },
      card: function () {
        return state.card;
      },
    };

    /**
     * Kommo hands the widget the installed package's `i18n/<account language>.json` as `self.langs`
     * and `self.i18n` (https://developers.kommo.com/docs/i18n). A package without that language's
     * file gets its English one here; the widget itself falls back to English either way.
     */
    function loadLangs() {
      var file = function (lang) {
        return $.getJSON(widgetPath + '/i18n/' + encodeURIComponent(lang) + '.json');
      };
      return file(boot.language).then(null, function () {
        return file('en');
      });
    }

    setApp(state.leadId);
    $.when(
      $.getJSON(widgetPath + '/manifest.json').done(function (manifest) {
        meta.manifest = manifest;
      }),
      loadLangs().done(function (langs) {
        meta.langs = langs;
      }),
    ).always(function () {
      if (page === 'card') {
        loadCard(state.leadId);
        loadWidget();
        return;
      }
      widgetName();
      if (page === 'advanced_settings') {
        loadWidget(function () {
          callback('advancedSettings');
        });
      } else {
        loadWidget(function () {
          $('[data-testid="widget-tile"]').attr('data-ready', 'true');
        });
      }
    });
    if (page !== 'card') return;
    // Kommo's card updates itself when the deal changes; here: re-read every few seconds.
    state.refreshTimer = window.setInterval(function () {
      if (document.visibilityState !== 'hidden') loadCard(state.leadId);
    }, 3000);
  });
})();
