/*
 * mailroutes console (docs/console.md): one page over the REST API at /api/v1. The API key is kept in this tab's
 * sessionStorage only. Written in plain ES5 with Promises and XMLHttpRequest, so that every current browser and the
 * suite's HtmlUnit engine run it without a build step. Every value from the API reaches the page as text, never as HTML.
 */
(function () {
  'use strict';

  var KEY_STORE = 'mailroutes.apiKey';
  var API = '/api/v1';
  var VIEW_REFRESH_MS = 5000;
  var HEALTH_REFRESH_MS = 10000;
  /** The timeline is one query over all of a campaign's rows: read it less often than the counters. */
  var TIMELINE_EVERY_VIEW_REFRESHES = 6;
  /** A rate is measured over the counter samples of this window. */
  var RATE_WINDOW_MS = 60000;
  var BOUNCE_THRESHOLD = 0.05;
  var COMPLAINT_THRESHOLD = 0.001;

  var PAUSABLE = ['ACCEPTED', 'SCHEDULED', 'LAUNCHING', 'SENDING'];
  var RESUMABLE = ['PAUSED'];
  var CANCELLABLE = ['ACCEPTED', 'SCHEDULED', 'LAUNCHING', 'SENDING', 'PAUSED'];
  var RESENDABLE = ['SENT', 'COMPLETED', 'CANCELLED'];
  var ACTIONS = {
    pause: {allowed: PAUSABLE, path: '/pause', question: 'Pause campaign ', done: 'Paused.'},
    resume: {allowed: RESUMABLE, path: '/resume', question: 'Resume campaign ', done: 'Resumed: the launcher picks it up again.'},
    cancel: {allowed: CANCELLABLE, path: '/cancel', question: 'Cancel campaign ', done: 'Cancelled.'},
    resend: {allowed: RESENDABLE, path: '/resend?status=FAILED', question: 'Send again to the failed recipients of ',
      done: 'Resend started for the failed recipients.'}
  };
  var SERIES = [
    {key: 'sent', label: 'Sent', color: '#0b57d0'},
    {key: 'delivered', label: 'Delivered', color: '#1b6e20'},
    {key: 'bounced', label: 'Bounced', color: '#b3261e'},
    {key: 'complained', label: 'Complained', color: '#7b1fa2'},
    {key: 'opened', label: 'Opened', color: '#00796b'},
    {key: 'clicked', label: 'Clicked', color: '#7a4f00'},
    {key: 'failed', label: 'Failed', color: '#424242'}
  ];
  /** Event attributes the lookup does not show: the raw SES event (summarised instead) and the log's own keys. */
  var EVENT_PLUMBING = ['event', 'type', 'campaignId', 'deliveryId', 'loggedAt', 'sesMessageId'];
  var VIEWS = ['key-view', 'campaigns-view', 'campaign-view', 'lookup-view', 'dead-letters-view'];

  var timers = {};
  var samples = {};
  var chart = null;
  var current = null;

  function byId(id) {
    return document.getElementById(id);
  }

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    var name;
    for (name in attributes || {}) {
      if (Object.prototype.hasOwnProperty.call(attributes, name) && attributes[name] !== null && attributes[name] !== undefined) {
        node.setAttribute(name, attributes[name]);
      }
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function setHidden(node, hidden) {
    if (hidden) {
      node.setAttribute('hidden', '');
    } else {
      node.removeAttribute('hidden');
    }
  }

  function text(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function notify(message) {
    byId('notice').textContent = message || '';
  }

  function apiKey() {
    return window.sessionStorage.getItem(KEY_STORE);
  }

  /** One API call; resolves with the parsed body, rejects with an Error carrying the status and the API's message. */
  function api(method, path) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, API + path);
      xhr.setRequestHeader('X-API-Key', apiKey() || '');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.onload = function () {
        var body = null;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch (notJson) {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(body);
          return;
        }
        var error = new Error(body && body.message ? body.message : 'HTTP ' + xhr.status);
        error.status = xhr.status;
        reject(error);
      };
      xhr.onerror = function () {
        reject(new Error('The server did not answer'));
      };
      xhr.send();
    });
  }

  /** A failed call: an unknown key goes back to the key form, anything else is told in the notice. */
  function failed(what) {
    return function (error) {
      if (error.status === 401) {
        window.sessionStorage.removeItem(KEY_STORE);
        notify('The API key was not accepted: ' + error.message);
        route();
        return;
      }
      notify(what + ': ' + error.message);
    };
  }

  function schedule(name, task, delay) {
    window.clearTimeout(timers[name]);
    timers[name] = window.setTimeout(task, delay);
  }

  function stop(name) {
    window.clearTimeout(timers[name]);
    delete timers[name];
  }

  function show(view) {
    VIEWS.forEach(function (id) {
      setHidden(byId(id), id !== view);
    });
  }

  // ── formatting ──────────────────────────────────────────────────────────────────────────────────

  function percent(fraction) {
    if (fraction === null || fraction === undefined) {
      return '—';
    }
    var value = fraction * 100;
    return (value > 0 && value < 1 ? value.toFixed(2) : value.toFixed(1)) + ' %';
  }

  function duration(seconds) {
    if (seconds < 60) {
      return Math.ceil(seconds) + ' s';
    }
    var minutes = Math.ceil(seconds / 60);
    return minutes < 60 ? minutes + ' min' : Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  function count(counts, name) {
    return counts && counts[name] ? counts[name] : 0;
  }

  /** Recipients the send flow is done with (sent, failed or suppressed), out of the campaign's recipients. */
  function progressOf(campaign) {
    var counts = campaign.counts || {};
    var total = count(counts, 'recipient');
    var done = Math.min(total, count(counts, 'sent') + count(counts, 'failed') + count(counts, 'suppressed'));
    return {done: done, total: total, percent: total ? Math.floor(done * 100 / total) : 0};
  }

  /** Mails per second, from this page's own samples of the campaign's sent counter over the last minute. */
  function rateOf(campaign) {
    var now = Date.now();
    var sent = count(campaign.counts, 'sent');
    var list = samples[campaign.campaignId] || [];
    list.push({at: now, sent: sent});
    while (list.length > 2 && now - list[1].at >= RATE_WINDOW_MS) {
      list.shift();
    }
    samples[campaign.campaignId] = list;
    var first = list[0];
    if (now - first.at < 4000) {
      return null;
    }
    return Math.max(0, (sent - first.sent) * 1000 / (now - first.at));
  }

  function sendingNow() {
    var total = 0;
    var measured = false;
    Object.keys(samples).forEach(function (id) {
      var list = samples[id];
      var first = list[0];
      var last = list[list.length - 1];
      if (last.at - first.at >= 4000 && Date.now() - last.at < 2 * VIEW_REFRESH_MS) {
        total += (last.sent - first.sent) * 1000 / (last.at - first.at);
        measured = true;
      }
    });
    return measured ? total : null;
  }

  function sending(campaign) {
    return ['LAUNCHING', 'SENDING'].indexOf(campaign.status) >= 0;
  }

  function etaOf(campaign, rate, progress) {
    if (!sending(campaign) || !rate || progress.done >= progress.total) {
      return '—';
    }
    return duration((progress.total - progress.done) / rate);
  }

  /** A rate cell, marked against an SES review threshold when one is given (not by colour alone). */
  function rateCell(fraction, threshold, what) {
    var cell = el('td', {'class': 'num'}, [percent(fraction)]);
    if (threshold) {
      var level = fraction >= threshold ? 'bad' : fraction >= threshold / 2 ? 'warn' : 'ok';
      cell.className += ' rate-' + level;
      if (level !== 'ok') {
        var note = level === 'bad' ? ' (at or above SES\'s ' + what + ' review threshold of ' + percent(threshold) + ')'
            : ' (over half of SES\'s ' + what + ' review threshold)';
        cell.appendChild(el('span', {'class': 'visually-hidden'}, [note]));
        cell.setAttribute('title', note.substring(2, note.length - 1));
      }
    }
    return cell;
  }

  function progressCell(campaign, progress) {
    return el('td', {}, [
      el('progress', {max: String(Math.max(progress.total, 1)), value: String(progress.done),
        'aria-label': 'Progress of ' + (campaign.name || campaign.campaignId)}, []),
      el('span', {'class': 'progress-text'}, [progress.done + ' / ' + progress.total + ' (' + progress.percent + ' %)'])
    ]);
  }

  // ── campaigns ───────────────────────────────────────────────────────────────────────────────────

  function showCampaigns() {
    show('campaigns-view');
    loadCampaigns();
  }

  function loadCampaigns() {
    var status = byId('status-filter').value;
    api('GET', '/campaigns?limit=100' + (status ? '&status=' + encodeURIComponent(status) : '')).then(function (page) {
      renderCampaigns(page.items || []);
    }, failed('Campaigns not loaded')).then(function () {
      schedule('view', loadCampaigns, VIEW_REFRESH_MS);
    });
  }

  function renderCampaigns(items) {
    items.sort(function (a, b) {
      return String(b.createdAt || '').localeCompare(String(a.createdAt || ''));
    });
    var body = clear(byId('campaigns-table').querySelector('tbody'));
    items.forEach(function (campaign) {
      var progress = progressOf(campaign);
      var rate = rateOf(campaign);
      var rates = campaign.rates || {};
      var row = el('tr', {'data-campaign': campaign.campaignId}, [
        el('th', {scope: 'row'}, [el('a', {href: '#/campaign/' + encodeURIComponent(campaign.campaignId)},
            [campaign.name || campaign.campaignId])]),
        el('td', {'class': 'status'}, [text(campaign.status)]),
        progressCell(campaign, progress),
        el('td', {'class': 'num'}, [rate === null || !sending(campaign) ? '—' : rate.toFixed(1) + '/s']),
        el('td', {'class': 'num'}, [etaOf(campaign, rate, progress)]),
        rateCell(rates.delivery),
        rateCell(rates.bounce, BOUNCE_THRESHOLD, 'bounce'),
        rateCell(rates.complaint, COMPLAINT_THRESHOLD, 'complaint'),
        rateCell(rates.open),
        rateCell(rates.click)
      ]);
      body.appendChild(row);
    });
    setHidden(byId('campaigns-empty'), items.length > 0);
  }

  // ── one campaign ────────────────────────────────────────────────────────────────────────────────

  function showCampaign(id) {
    show('campaign-view');
    current = {id: id, refreshes: 0, campaign: null};
    byId('campaign-title').textContent = id;
    byId('timeline-chart').removeAttribute('data-points');
    clear(byId('timeline-table').querySelector('tbody'));
    clear(byId('report'));
    if (chart) {
      chart.destroy();
      chart = null;
    }
    loadCampaign(id);
    loadReport(id);
  }

  function loadCampaign(id) {
    api('GET', '/campaigns/' + encodeURIComponent(id)).then(function (campaign) {
      if (current && current.id === id) {
        renderCampaign(campaign);
        if (current.refreshes++ % TIMELINE_EVERY_VIEW_REFRESHES === 0) {
          loadTimeline(id);
          loadFailures(id);
        }
      }
    }, failed('Campaign not loaded')).then(function () {
      if (current && current.id === id) {
        schedule('view', function () {
          loadCampaign(id);
        }, VIEW_REFRESH_MS);
      }
    });
  }

  function renderCampaign(campaign) {
    current.campaign = campaign;
    byId('campaign-title').textContent = campaign.name || campaign.campaignId;
    byId('campaign-status').textContent = text(campaign.status);
    Object.keys(ACTIONS).forEach(function (action) {
      byId('action-' + action).disabled = ACTIONS[action].allowed.indexOf(campaign.status) < 0;
    });
    var progress = progressOf(campaign);
    var rate = rateOf(campaign);
    clear(byId('campaign-progress')).appendChild(el('p', {}, [
      el('progress', {max: String(Math.max(progress.total, 1)), value: String(progress.done), 'aria-label': 'Progress'}, []),
      el('span', {'class': 'progress-text', id: 'campaign-progress-text'},
          [progress.done + ' / ' + progress.total + ' (' + progress.percent + ' %)' +
          (rate === null || !sending(campaign) ? '' : ' · ' + rate.toFixed(1) + '/s · ETA ' + etaOf(campaign, rate, progress))])
    ]));
    var counts = clear(byId('campaign-counts'));
    var names = Object.keys(campaign.counts || {}).filter(function (name) {
      return name !== 'chunk';
    });
    names.forEach(function (name) {
      counts.appendChild(el('div', {}, [el('dt', {}, [name === 'recipient' ? 'recipients' : name]),
        el('dd', {'data-count': name}, [String(campaign.counts[name])])]));
    });
    var rates = campaign.rates || {};
    [['delivery rate', rates.delivery], ['bounce rate', rates.bounce], ['complaint rate', rates.complaint],
      ['open rate', rates.open], ['click rate', rates.click]].forEach(function (pair) {
      counts.appendChild(el('div', {}, [el('dt', {}, [pair[0]]), el('dd', {}, [percent(pair[1])])]));
    });
  }

  function act(action) {
    var campaign = current && current.campaign;
    if (!campaign) {
      return;
    }
    var spec = ACTIONS[action];
    if (!window.confirm(spec.question + (campaign.name || campaign.campaignId) + '?')) {
      return;
    }
    api('POST', '/campaigns/' + encodeURIComponent(campaign.campaignId) + spec.path).then(function (reply) {
      notify(spec.done);
      renderCampaign(reply);
    }, failed('Not done'));
  }

  function loadTimeline(id) {
    api('GET', '/campaigns/' + encodeURIComponent(id) + '/timeline').then(function (timeline) {
      if (current && current.id === id) {
        renderTimeline(withEmptyMinutes(timeline.minutes || []));
      }
    }, failed('Events per minute not loaded'));
  }

  /** The API leaves out minutes without events; the chart shows them as zeros (up to a day of minutes). */
  function withEmptyMinutes(minutes) {
    if (minutes.length === 0) {
      return minutes;
    }
    // One empty minute before the first event, so that even a one-minute campaign draws its rise from zero.
    var first = Date.parse(minutes[0].minute) - 60000;
    var last = Date.parse(minutes[minutes.length - 1].minute);
    if ((last - first) / 60000 > 1440) {
      return minutes;
    }
    var byMinute = {};
    minutes.forEach(function (minute) {
      byMinute[Date.parse(minute.minute)] = minute;
    });
    var filled = [];
    for (var at = first; at <= last; at += 60000) {
      var found = byMinute[at];
      if (!found) {
        found = {minute: new Date(at).toISOString()};
        SERIES.forEach(function (series) {
          found[series.key] = 0;
        });
      }
      filled.push(found);
    }
    return filled;
  }

  function minuteLabel(iso, withDay) {
    return withDay ? iso.substring(5, 16).replace('T', ' ') : iso.substring(11, 16);
  }

  function renderTimeline(minutes) {
    var withDay = minutes.length > 0 && minutes[0].minute.substring(0, 10) !== minutes[minutes.length - 1].minute.substring(0, 10);
    var labels = minutes.map(function (minute) {
      return minuteLabel(minute.minute, withDay);
    });
    var body = clear(byId('timeline-table').querySelector('tbody'));
    var points = 0;
    minutes.forEach(function (minute, i) {
      var cells = [el('th', {scope: 'row'}, [labels[i]])];
      SERIES.forEach(function (series) {
        cells.push(el('td', {'class': 'num'}, [String(minute[series.key] || 0)]));
        points += minute[series.key] || 0;
      });
      body.appendChild(el('tr', {}, cells));
    });
    var data = {
      labels: labels,
      datasets: SERIES.map(function (series) {
        return {
          label: series.label, borderColor: series.color, backgroundColor: series.color, fill: false,
          lineTension: 0, pointRadius: 2, borderWidth: 2,
          data: minutes.map(function (minute) {
            return minute[series.key] || 0;
          })
        };
      })
    };
    if (!window.Chart) {
      notify('The chart library did not load; the numbers are in the table below the chart.');
      return;
    }
    if (chart) {
      chart.data = data;
      chart.update();
    } else {
      chart = new window.Chart(byId('timeline-chart'), {
        type: 'line',
        data: data,
        options: {
          animation: {duration: 0},
          responsive: true,
          maintainAspectRatio: false,
          legend: {position: 'bottom'},
          scales: {yAxes: [{ticks: {beginAtZero: true, precision: 0}}]}
        }
      });
    }
    byId('timeline-chart').setAttribute('data-points', String(points));
  }

  function loadFailures(id) {
    var query = '/emails?campaignId=' + encodeURIComponent(id) + '&limit=10&status=';
    Promise.all(['FAILED', 'BOUNCED', 'REJECTED'].map(function (status) {
      return api('GET', query + status);
    })).then(function (pages) {
      var items = [];
      pages.forEach(function (page) {
        items = items.concat(page.items || []);
      });
      items.sort(function (a, b) {
        return String(b.createdAt || '').localeCompare(String(a.createdAt || ''));
      });
      items = items.slice(0, 10);
      return Promise.all(items.map(reasonOf)).then(function (reasons) {
        var body = clear(byId('failures-table').querySelector('tbody'));
        items.forEach(function (email, i) {
          body.appendChild(el('tr', {}, [el('td', {}, [text(email.recipient)]), el('td', {}, [text(email.status)]),
            el('td', {}, [text(reasons[i])]),
            el('td', {}, [el('a', {href: '#/lookup', 'data-email': email.emailId}, [email.emailId])])]));
        });
        setHidden(byId('failures-empty'), items.length > 0);
      });
    }).then(null, failed('Failures not loaded'));
  }

  /** The send flow's last error, or else what SES said in the email's last bounce, complaint or reject. */
  function reasonOf(email) {
    if (email.lastError) {
      return Promise.resolve(email.lastError);
    }
    return api('GET', '/emails/' + encodeURIComponent(email.emailId)).then(function (details) {
      var said = (details.events || []).filter(function (event) {
        return ['Bounce', 'Complaint', 'Reject', 'Rendering Failure'].indexOf(event.type) >= 0;
      }).map(eventSummary);
      return said.length ? said[said.length - 1] : null;
    }, function () {
      return null;
    });
  }

  /** An event's details in a line: what SES said (bounce type and diagnostic, complaint feedback, …), then the rest. */
  function eventSummary(event) {
    var details = event.details || {};
    var parts = [];
    var ses = null;
    try {
      ses = details.event ? JSON.parse(details.event) : null;
    } catch (notJson) {
      ses = null;
    }
    if (ses && ses.bounce) {
      parts.push(ses.bounce.bounceType + ' / ' + ses.bounce.bounceSubType);
      (ses.bounce.bouncedRecipients || []).forEach(function (recipient) {
        if (recipient.diagnosticCode) {
          parts.push(recipient.diagnosticCode);
        }
      });
    }
    if (ses && ses.complaint) {
      parts.push('complaint' + (ses.complaint.complaintFeedbackType ? ': ' + ses.complaint.complaintFeedbackType : ''));
    }
    if (ses && ses.delivery && ses.delivery.smtpResponse) {
      parts.push(ses.delivery.smtpResponse);
    }
    if (ses && ses.reject && ses.reject.reason) {
      parts.push(ses.reject.reason);
    }
    if (ses && ses.deliveryDelay && ses.deliveryDelay.delayType) {
      parts.push('delayed: ' + ses.deliveryDelay.delayType);
    }
    Object.keys(details).forEach(function (name) {
      if (EVENT_PLUMBING.indexOf(name) < 0) {
        parts.push(name + '=' + details[name]);
      }
    });
    return parts.join('; ');
  }

  function loadReport(id) {
    var target = clear(byId('report'));
    api('GET', '/campaigns/' + encodeURIComponent(id) + '/report?limit=50').then(function (report) {
      var counts = report.counts || {};
      target.appendChild(el('p', {}, ['File ' + text(report.file) + ': ' + text(report.outcome) +
          (report.reason ? ' (' + report.reason + ')' : '')]));
      var list = el('dl', {'class': 'counts', id: 'report-counts'}, []);
      ['rows', 'valid', 'invalid', 'duplicates'].forEach(function (name) {
        list.appendChild(el('div', {}, [el('dt', {}, [name]), el('dd', {}, [String(counts[name] || 0)])]));
      });
      target.appendChild(list);
      var problems = report.problems || [];
      if (problems.length === 0) {
        target.appendChild(el('p', {}, ['No invalid rows.']));
        return;
      }
      var rows = problems.map(function (problem) {
        return el('tr', {}, [el('td', {'class': 'num'}, [String(problem.line)]), el('td', {}, [text(problem.field)]),
          el('td', {}, [text(problem.reason)])]);
      });
      target.appendChild(el('table', {id: 'report-problems'}, [
        el('caption', {}, ['Problems (line 0 is the file itself)']),
        el('thead', {}, [el('tr', {}, [el('th', {scope: 'col', 'class': 'num'}, ['Line']), el('th', {scope: 'col'}, ['Field']),
          el('th', {scope: 'col'}, ['Reason'])])]),
        el('tbody', {}, rows)
      ]));
      if (report.problemsNotListed) {
        target.appendChild(el('p', {}, [report.problemsNotListed + ' more problems are in the report file.']));
      }
    }, function (error) {
      target.appendChild(el('p', {}, [error.status === 404 ? 'No intake report for this campaign.' : 'Report not loaded: ' + error.message]));
    });
  }

  // ── message lookup ──────────────────────────────────────────────────────────────────────────────

  function showLookup() {
    show('lookup-view');
  }

  function lookUp(query) {
    var wanted = query.trim();
    setHidden(byId('lookup-results'), true);
    setHidden(byId('email-details'), true);
    if (!wanted) {
      return;
    }
    if (wanted.indexOf('@') < 0) {
      showEmail(wanted);
      return;
    }
    api('GET', '/emails?limit=20&recipient=' + encodeURIComponent(wanted)).then(function (page) {
      var items = page.items || [];
      var body = clear(byId('lookup-results').querySelector('tbody'));
      items.forEach(function (email) {
        var open = el('button', {type: 'button', 'class': 'quiet', 'data-email': email.emailId}, [email.emailId]);
        body.appendChild(el('tr', {}, [el('td', {}, [open]), el('td', {}, [text(email.recipient)]),
          el('td', {}, [text(email.campaignId)]), el('td', {}, [text(email.status)]), el('td', {}, [text(email.createdAt)])]));
      });
      setHidden(byId('lookup-results'), false);
      if (items.length === 0) {
        notify('No email to ' + wanted + '.');
      } else if (items.length === 1) {
        showEmail(items[0].emailId);
      }
    }, failed('Lookup failed'));
  }

  function showEmail(id) {
    api('GET', '/emails/' + encodeURIComponent(id)).then(function (email) {
      byId('email-title').textContent = 'Email ' + email.emailId;
      var summary = clear(byId('email-summary'));
      [['recipient', email.recipient], ['campaign', email.campaignId], ['status', email.status], ['subject', email.subject],
        ['SES message id', email.sesMessageId], ['last error', email.lastError], ['created', email.createdAt],
        ['last updated', email.lastUpdated]].forEach(function (pair) {
        summary.appendChild(el('div', {}, [el('dt', {}, [pair[0]]), el('dd', {}, [text(pair[1])])]));
      });
      var body = clear(byId('email-events').querySelector('tbody'));
      (email.events || []).forEach(function (event) {
        body.appendChild(el('tr', {}, [el('td', {}, [text(event.timestamp)]), el('td', {'class': 'event-type'}, [text(event.type)]),
          el('td', {}, [text(eventSummary(event))])]));
      });
      setHidden(byId('email-details'), false);
    }, function (error) {
      notify(error.status === 404 ? 'No email ' + id + '.' : 'Lookup failed: ' + error.message);
    });
  }

  // ── dead letters ────────────────────────────────────────────────────────────────────────────────

  function showDeadLetters(queue) {
    show('dead-letters-view');
    byId('dead-letters-title').textContent = 'Dead letters of ' + queue;
    var body = clear(byId('dead-letters-table').querySelector('tbody'));
    api('GET', '/dead-letters/' + encodeURIComponent(queue) + '?limit=50').then(function (page) {
      (page.items || []).forEach(function (entry) {
        body.appendChild(el('tr', {}, [el('td', {}, [text(entry.id)]), el('td', {}, [text(entry.reason)]),
          el('td', {'class': 'num'}, [text(entry.receiveCount)]), el('td', {'class': 'num'}, [duration(entry.ageSeconds || 0)]),
          el('td', {}, [text(entry.excerpt)])]));
      });
    }, function (error) {
      notify(error.status === 403 ? 'Dead letters need a key with the scope admin.' : 'Dead letters not loaded: ' + error.message);
    });
  }

  // ── health strip ────────────────────────────────────────────────────────────────────────────────

  function loadHealth() {
    api('GET', '/health-summary').then(renderHealth, failed('Health not loaded')).then(function () {
      if (apiKey()) {
        schedule('health', loadHealth, HEALTH_REFRESH_MS);
      }
    });
  }

  function renderHealth(health) {
    var send = health.send || {};
    var measured = sendingNow();
    var list = clear(byId('health-send'));
    [['Sending', measured === null ? '—' : measured.toFixed(1) + '/s'],
      ['Limit', send.limitPerSecond + '/s (this replica ' + send.replicaLimitPerSecond + '/s)'],
      ['24-h quota used', percent(send.quotaUsed)]].forEach(function (pair) {
      list.appendChild(el('div', {}, [el('dt', {}, [pair[0]]), el('dd', {}, [pair[1]])]));
    });
    var queues = clear(byId('health-queues'));
    queues.appendChild(el('span', {'class': 'visually-hidden'}, ['Queues (messages / dead letters): ']));
    (health.queues || []).forEach(function (queue) {
      var item = el('span', {'data-queue': queue.queue}, [queue.queue + ' ' + queue.messages + ' / ']);
      item.appendChild(queue.deadLetters > 0
          ? el('a', {href: '#/dead-letters/' + encodeURIComponent(queue.queue), 'class': 'rate-bad'}, [queue.deadLetters + ' dead'])
          : document.createTextNode('0 dead'));
      queues.appendChild(item);
    });
    var hooks = clear(byId('health-webhooks'));
    var subscribers = health.webhooks || [];
    hooks.appendChild(el('span', {}, [subscribers.length ? 'Webhooks:' : 'No webhook subscribers']));
    subscribers.forEach(function (hook) {
      hooks.appendChild(el('span', {'class': hook.circuit === 'closed' ? 'rate-ok' : 'rate-bad'},
          [hook.subscriber + ' ' + hook.circuit.replace('_', ' ')]));
    });
  }

  // ── key and routing ─────────────────────────────────────────────────────────────────────────────

  function route() {
    stop('view');
    current = null;
    if (!apiKey()) {
      stop('health');
      setHidden(byId('nav'), true);
      setHidden(byId('health'), true);
      show('key-view');
      byId('api-key').focus();
      return;
    }
    setHidden(byId('nav'), false);
    setHidden(byId('health'), false);
    if (!timers.health) {
      loadHealth();
    }
    var hash = window.location.hash || '#/campaigns';
    var match = /^#\/campaign\/(.+)$/.exec(hash);
    if (match) {
      showCampaign(decodeURIComponent(match[1]));
      return;
    }
    match = /^#\/dead-letters\/(.+)$/.exec(hash);
    if (match) {
      showDeadLetters(decodeURIComponent(match[1]));
    } else if (hash === '#/lookup') {
      showLookup();
    } else {
      showCampaigns();
    }
  }

  function start() {
    byId('key-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var key = byId('api-key').value.trim();
      if (!key) {
        return;
      }
      window.sessionStorage.setItem(KEY_STORE, key);
      byId('api-key').value = '';
      notify('');
      route();
    });
    byId('forget-key').addEventListener('click', function () {
      window.sessionStorage.removeItem(KEY_STORE);
      samples = {};
      notify('');
      route();
    });
    byId('status-filter').addEventListener('change', loadCampaigns);
    Object.keys(ACTIONS).forEach(function (action) {
      byId('action-' + action).addEventListener('click', function () {
        act(action);
      });
    });
    byId('lookup-form').addEventListener('submit', function (event) {
      event.preventDefault();
      notify('');
      lookUp(byId('lookup-query').value);
    });
    byId('lookup-results').addEventListener('click', function (event) {
      var id = event.target.getAttribute('data-email');
      if (id) {
        showEmail(id);
      }
    });
    byId('failures-table').addEventListener('click', function (event) {
      var id = event.target.getAttribute('data-email');
      if (id) {
        byId('lookup-query').value = id;
        window.setTimeout(function () {
          lookUp(id);
        }, 0);
      }
    });
    window.addEventListener('hashchange', function () {
      notify('');
      route();
    });
    if (window.Chart) {
      // The stylesheet is linked in the page: the CSP allows no injected style element.
      window.Chart.platform.disableCSSInjection = true;
    }
    route();
  }

  start();
}());
