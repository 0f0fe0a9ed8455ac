// Draws the usage page's charts with uPlot from the data the server put in #usage-data.
// Served by the proxy (/admin/assets/usage-chart.js): the page's CSP admits no inline script.
(function () {
  'use strict';
  var PALETTE = [
    '#1a73e8',
    '#e8710a',
    '#1e8e3e',
    '#9334e6',
    '#d93025',
    '#12b5cb',
    '#e52592',
    '#f9ab00',
    '#5f6368',
    '#7cb342',
  ];
  var FAILURE_COLOURS = { errors: '#d93025', '429 rate limited': '#f9ab00' };
  // Counts are whole: no 0.25-request gridlines.
  var COUNT_STEPS = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6,
    1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9,
  ];
  var holder = document.getElementById('usage-data');
  if (!holder || typeof uPlot !== 'function') return;
  var data = JSON.parse(holder.getAttribute('data-chart'));
  var step = data.bucket === 'hour' ? 3600 : 86400;
  var plots = {};

  function short(n) {
    if (n == null) return '';
    var abs = Math.abs(n);
    if (abs >= 1e9) return +(n / 1e9).toFixed(1) + 'G';
    if (abs >= 1e6) return +(n / 1e6).toFixed(1) + 'M';
    if (abs >= 1e3) return +(n / 1e3).toFixed(1) + 'k';
    return String(+n.toFixed(2));
  }

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  // Operators read UTC, on a 24-hour clock, the same as the ledger's buckets.
  function when(ts, withHour) {
    var d = new Date(ts * 1000);
    var date = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
    return withHour ? date + ' ' + pad(d.getUTCHours()) + ':00' : date;
  }

  function tick(ts, hourly) {
    var d = new Date(ts * 1000);
    var day = pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
    if (!hourly || d.getUTCHours() === 0) return day;
    return pad(d.getUTCHours()) + ':00';
  }

  // Under the cursor, the bucket's count; elsewhere, the whole range's.
  function rawValue(values) {
    var sum = values.reduce(function (a, b) {
      return a + b;
    }, 0);
    return function (u, v, si, idx) {
      return (idx == null ? sum : values[idx]).toLocaleString('en');
    };
  }

  // uPlot does not stack: each key is drawn as the running sum of the keys below it, the tallest
  // first, so that every bar shows its own share; the legend still shows the key's own count.
  function build(chart) {
    var n = chart.series.length;
    var sums = [];
    var running = chart.x.map(function () {
      return 0;
    });
    for (var i = 0; i < n; i++) {
      running = running.map(function (r, j) {
        return r + chart.series[i].values[j];
      });
      sums.push(running);
    }
    var hourly = data.bucket === 'hour';
    var series = [
      {
        label: hourly ? 'Hour (UTC)' : 'Day (UTC)',
        value: function (u, v) {
          return v == null ? 'whole range' : when(v, hourly);
        },
      },
    ];
    var columns = [chart.x];
    var bars = uPlot.paths.bars({ size: [0.8, 48], align: 0 });
    for (var k = n - 1; k >= 0; k--) {
      var s = chart.series[k];
      var colour = FAILURE_COLOURS[s.label] || PALETTE[k % PALETTE.length];
      series.push({
        label: s.label,
        stroke: colour,
        fill: colour + 'cc',
        width: 0,
        paths: bars,
        points: { show: false },
        value: rawValue(s.values),
      });
      columns.push(sums[k]);
    }
    series.push({
      label: 'total',
      stroke: '#1f2328',
      width: 1.5,
      dash: [4, 3],
      points: { show: false },
      value: rawValue(chart.total),
    });
    columns.push(chart.total);
    return { series: series, columns: columns };
  }

  function options(chart, built, width) {
    return {
      width: width,
      height: width < 500 ? 200 : 240,
      series: built.series,
      legend: { live: true },
      cursor: { points: { show: false } },
      scales: {
        x: {
          time: true,
          range: function (u, min, max) {
            return [min - step / 2, max + step / 2];
          },
        },
        y: {
          range: function (u, min, max) {
            return [0, Math.max(1, max) * 1.05];
          },
        },
      },
      axes: [
        {
          space: 60,
          stroke: '#59636e',
          values: function (u, splits) {
            return splits.map(function (ts) {
              return tick(ts, data.bucket === 'hour');
            });
          },
        },
        {
          size: 46,
          stroke: '#59636e',
          incrs: COUNT_STEPS,
          values: function (u, splits) {
            return splits.map(short);
          },
        },
      ],
    };
  }

  data.charts.forEach(function (chart) {
    var el = document.getElementById('chart-' + chart.id);
    if (!el) return;
    var built = build(chart);
    var plot = new uPlot(options(chart, built, el.clientWidth), built.columns, el);
    plots[chart.id] = { plot: plot, chart: chart };
    el.setAttribute('data-rendered', 'true');
  });

  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      Object.keys(plots).forEach(function (id) {
        var el = document.getElementById('chart-' + id);
        plots[id].plot.setSize({ width: el.clientWidth, height: el.clientWidth < 500 ? 200 : 240 });
      });
    }, 100);
  });

  // The browser test reads the drawn numbers from here.
  window.usageCharts = plots;
})();
