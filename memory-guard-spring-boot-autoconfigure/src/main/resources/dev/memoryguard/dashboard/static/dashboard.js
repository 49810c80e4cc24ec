/*
 * memory-guard dashboard: reads the memory endpoint every few seconds and draws it.
 * The page holds no data of its own; config.json (next to this file) says where the
 * endpoint is.
 */
(function () {
	'use strict';

	var WINDOW_SECONDS = 15 * 60;
	var HISTORY_EVERY = 5;
	var EXPOSE = 'management.endpoints.web.exposure.include=memory';

	var state = {
		endpoint: null,
		refreshMillis: 2000,
		historyLoaded: false,
		points: { t: [], live: [], used: [], rss: [] },
		thresholds: { warning: 0.70, critical: 0.85 },
		heapChart: null,
		rssChart: null
	};

	function $(id) {
		return document.getElementById(id);
	}

	function bytes(value) {
		if (value === null || value === undefined || value < 0) {
			return '–';
		}
		var units = ['B', 'KB', 'MB', 'GB', 'TB'];
		var unit = 0;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit === 0) ? value + ' B' : value.toFixed(1) + ' ' + units[unit];
	}

	function percent(ratio) {
		return (ratio === null || ratio === undefined) ? '–' : (ratio * 100).toFixed(1) + '%';
	}

	function count(value) {
		return (value === null || value === undefined) ? '–' : value;
	}

	function seconds(duration) {
		if (duration === null || duration === undefined) {
			return null;
		}
		if (typeof duration === 'number') {
			return duration;
		}
		var m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(duration);
		if (!m) {
			return null;
		}
		return (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0));
	}

	function humanDuration(duration) {
		var s = seconds(duration);
		if (s === null) {
			return '–';
		}
		var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
		var parts = [];
		if (d) parts.push(d + 'd');
		if (h) parts.push(h + 'h');
		if (m) parts.push(m + 'm');
		if (!parts.length) parts.push(Math.round(s) + 's');
		return parts.join(' ');
	}

	function text(tag, content, className) {
		var element = document.createElement(tag);
		element.textContent = content;
		if (className) {
			element.className = className;
		}
		return element;
	}

	function showNotice(html) {
		var notice = $('notice');
		notice.innerHTML = html;
		notice.hidden = false;
		$('content').hidden = true;
		var badge = $('pressure');
		badge.textContent = 'UNAVAILABLE';
		badge.setAttribute('data-level', 'UNKNOWN');
	}

	function explain(status) {
		var where = '<code>' + state.endpoint + '</code>';
		if (status === 404) {
			return '<strong>The memory endpoint is not exposed over HTTP</strong> (' + where + ' answered 404), ' +
				'so there is nothing to show. Expose it with <code>' + EXPOSE + '</code> ' +
				'(add it to the list you already expose, for example <code>health,memory</code>) and make sure ' +
				'<code>memory-guard.enabled</code> is not false.';
		}
		if (status === 401 || status === 403) {
			return '<strong>Access to the memory endpoint was refused</strong> (' + where + ' answered ' + status +
				'). The dashboard shows only what you may read from the endpoint: sign in, or grant access to it ' +
				'(Spring Security rules, <code>management.endpoint.memory.access</code>).';
		}
		return '<strong>The memory endpoint could not be read</strong> (' + where + ': ' +
			(status ? 'HTTP ' + status : 'no answer') + '). Retrying…';
	}

	function getJson(url) {
		// a reading that hangs must not stop the refreshes
		var abort = new AbortController();
		var timer = setTimeout(function () {
			abort.abort();
		}, 10000);
		return fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store',
				signal: abort.signal })
			.finally(function () {
				clearTimeout(timer);
			})
			.then(function (response) {
				if (!response.ok) {
					var error = new Error('HTTP ' + response.status);
					error.status = response.status;
					throw error;
				}
				return response.json();
			});
	}

	function addPoint(time, live, used, rss) {
		var p = state.points;
		var last = p.t.length ? p.t[p.t.length - 1] : -Infinity;
		if (time <= last) {
			return;
		}
		p.t.push(time);
		p.live.push(live * 100);
		p.used.push(used * 100);
		p.rss.push(rss === null || rss === undefined ? null : rss * 100);
		var oldest = time - WINDOW_SECONDS;
		while (p.t.length && p.t[0] < oldest) {
			p.t.shift();
			p.live.shift();
			p.used.shift();
			p.rss.shift();
		}
	}

	function loadHistory() {
		return getJson(state.endpoint + '/history').then(function (history) {
			var points = Array.isArray(history) ? history : (history.points || []);
			state.points = { t: [], live: [], used: [], rss: [] };
			points.forEach(function (point) {
				addPoint(Date.parse(point.timestamp) / 1000, point.liveRatio, point.usedRatio, point.containerRatio);
			});
			state.historyLoaded = true;
		}, function () {
			// an endpoint without the history section: the chart starts now
			state.historyLoaded = true;
		});
	}

	function chartWidth(element) {
		return Math.max(300, element.clientWidth || element.parentNode.clientWidth - 32);
	}

	function constant(value) {
		return state.points.t.map(function () {
			return value;
		});
	}

	function heapData() {
		var p = state.points;
		return [p.t, p.live, p.used, constant(state.thresholds.warning * 100), constant(state.thresholds.critical * 100)];
	}

	function rssData() {
		var p = state.points;
		return [p.t, p.rss, constant(100)];
	}

	function percentAxis() {
		return {
			values: function (u, splits) {
				return splits.map(function (v) {
					return v + '%';
				});
			}
		};
	}

	function makeChart(element, series, data) {
		return new uPlot({
			width: chartWidth(element),
			height: 220,
			scales: { x: { time: true }, y: { range: [0, 100] } },
			legend: { live: false },
			axes: [{}, percentAxis()],
			series: [{}].concat(series)
		}, data, element);
	}

	function drawHeap() {
		var element = $('heap-chart');
		if (typeof uPlot === 'undefined') {
			element.textContent = 'Charts need uPlot: add org.webjars.npm:uplot to the application.';
			return;
		}
		if (!state.heapChart) {
			state.heapChart = makeChart(element, [
				{ label: 'Live heap after GC', stroke: '#0969da', width: 2, fill: 'rgba(9,105,218,0.08)' },
				{ label: 'Used heap', stroke: '#8250df', width: 1 },
				{ label: 'Warning', stroke: '#b86e00', dash: [6, 4], width: 1, points: { show: false } },
				{ label: 'Critical', stroke: '#cf222e', dash: [6, 4], width: 1, points: { show: false } }
			], heapData());
		}
		else {
			state.heapChart.setData(heapData());
		}
		element.setAttribute('data-points', String(state.points.t.length));
	}

	function drawRss(process) {
		var element = $('rss-chart');
		if (process.limit === null || process.limit === undefined) {
			$('rss-summary').textContent = 'Resident set size ' + bytes(process.rss) +
				'; no container memory limit applies to this process.';
			element.hidden = true;
			return;
		}
		$('rss-summary').textContent = 'Container signal ' + percent(process.ratio) +
			': memory outside the heap against the room the ' + bytes(process.limit) +
			' limit leaves beyond max heap (working set ' + bytes(process.workingSet) + ', resident set size ' +
			bytes(process.rss) + ').';
		element.hidden = false;
		if (typeof uPlot === 'undefined') {
			return;
		}
		if (!state.rssChart) {
			state.rssChart = makeChart(element, [
				{ label: 'Outside the heap, of the room beyond max heap', stroke: '#1a7f37', width: 2, fill: 'rgba(26,127,55,0.08)' },
				{ label: 'Limit', stroke: '#cf222e', dash: [6, 4], width: 1, points: { show: false } }
			], rssData());
		}
		else {
			state.rssChart.setData(rssData());
		}
	}

	function drawLeak(leak) {
		var element = $('leak');
		element.innerHTML = '';
		if (!leak) {
			element.textContent = 'No leak report.';
			return;
		}
		var growth = (leak.growthRatio >= 0 ? '+' : '') + (leak.growthRatio * 100).toFixed(1) + '%';
		element.appendChild(leak.suspected ? text('span', 'Leak suspected', 'suspected') : text('span', 'No leak suspected'));
		element.appendChild(document.createTextNode(' · live heap ' + growth + ' over ' + humanDuration(leak.window) + ' · '));
		element.appendChild(document.createTextNode(leak.exhaustionForecast
			? 'heap exhausted in about ' + humanDuration(leak.exhaustionForecast) + ' at the current trend'
			: 'no exhaustion forecast (live heap not rising)'));
	}

	function fillTable(id, rows, empty, columns) {
		var body = $(id).tBodies[0];
		body.innerHTML = '';
		var names = Object.keys(rows || {});
		if (!names.length) {
			var row = body.insertRow();
			var cell = text('td', empty, 'empty');
			cell.colSpan = columns;
			row.appendChild(cell);
			return;
		}
		names.forEach(function (name) {
			var row = body.insertRow();
			row.appendChild(text('td', name));
			return row;
		});
		return names;
	}

	function drawJobs(jobs) {
		var names = fillTable('jobs', jobs, 'No guarded jobs have run yet.', 7);
		if (!names) {
			return;
		}
		var rows = $('jobs').tBodies[0].rows;
		names.forEach(function (name, i) {
			var job = jobs[name];
			[job.runs, job.skipped, job.deferred, job.failed, bytes(job.lastAllocated), bytes(job.maxAllocated)]
				.forEach(function (value) {
					rows[i].appendChild(text('td', String(value)));
				});
		});
	}

	function drawCaches(caches) {
		var names = fillTable('caches', caches, 'No guarded caches.', 6);
		if (!names) {
			return;
		}
		var rows = $('caches').tBodies[0].rows;
		names.forEach(function (name, i) {
			var cache = caches[name];
			var bound = [];
			if (cache.maxSize !== null && cache.maxSize !== undefined) {
				bound.push(bytes(cache.maxSize) + (cache.maxSize > 0 ? ' (' + percent(cache.weightedSize / cache.maxSize) + ' used)' : ''));
			}
			if (cache.maxEntries !== null && cache.maxEntries !== undefined) {
				bound.push(cache.maxEntries + ' entries');
			}
			// a figure the cache cannot tell (a JCache cache's size, evictions without statistics) is null
			[count(cache.size), bytes(cache.weightedSize), bound.join(', ') || 'none', percent(cache.hitRatio),
				count(cache.evictions)]
				.forEach(function (value) {
					rows[i].appendChild(text('td', String(value)));
				});
		});
	}

	function render(doc) {
		$('notice').hidden = true;
		$('content').hidden = false;
		var badge = $('pressure');
		badge.textContent = doc.pressure;
		badge.setAttribute('data-level', doc.pressure);
		$('updated').textContent = 'updated ' + new Date(doc.timestamp).toLocaleTimeString() +
			(doc.uptime ? ' · up ' + humanDuration(doc.uptime) : '');
		if (doc.thresholds) {
			state.thresholds = doc.thresholds;
		}
		var heap = doc.heap || {};
		var process = doc.process || {};
		addPoint(Date.parse(doc.timestamp) / 1000, heap.liveRatio, heap.usedRatio, process.ratio);
		$('heap-summary').textContent = 'Live heap after GC ' + bytes(heap.liveAfterGc) + ' (' + percent(heap.liveRatio) +
			'), used ' + bytes(heap.used) + ' (' + percent(heap.usedRatio) + ') of ' + bytes(heap.max) +
			' max · warning at ' + percent(state.thresholds.warning) + ', critical at ' + percent(state.thresholds.critical) +
			(doc.gc ? ' · GC overhead ' + percent(doc.gc.overhead) : '');
		drawHeap();
		drawRss(process);
		drawLeak(doc.leak);
		drawJobs(doc.jobs);
		drawCaches(doc.caches);
	}

	function refresh() {
		// the history is read again now and then, at full resolution; readings in between add one point each
		state.polls = (state.polls || 0) + 1;
		var ready = (state.historyLoaded && state.polls % HISTORY_EVERY !== 0) ? Promise.resolve() : loadHistory();
		return ready.then(function () {
			return getJson(state.endpoint);
		}).then(function (doc) {
			try {
				render(doc);
			}
			catch (error) {
				console.error('memory-guard dashboard could not draw the reading', error);
			}
		}, function (error) {
			state.historyLoaded = false;
			showNotice(explain(error.status));
		}).then(function () {
			setTimeout(refresh, state.refreshMillis);
		});
	}

	window.addEventListener('resize', function () {
		[['heap-chart', state.heapChart], ['rss-chart', state.rssChart]].forEach(function (pair) {
			if (pair[1]) {
				pair[1].setSize({ width: chartWidth($(pair[0])), height: 220 });
			}
		});
	});

	getJson('config.json').then(function (config) {
		state.endpoint = config.endpoint;
		state.refreshMillis = (config.refreshSeconds || 2) * 1000;
		refresh();
	}, function (error) {
		showNotice('<strong>The dashboard configuration could not be read</strong> (' + (error.status || error.message) + ').');
	});
})();
