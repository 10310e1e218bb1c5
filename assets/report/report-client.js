/* global Chart, document, window, requestAnimationFrame */
// Draws the report's charts from the inline JSON (#report-data) with the inline Chart.js.
// Runs under a CSP that allows only this script and Chart.js (by hash): no eval, no network.
// Sets window.__reportReady = true once every chart is drawn (PDF/PNG export waits on it), or
// window.__reportError to a message when drawing failed.
(function () {
  'use strict';

  // Chart.js canvases are transparent; paint white so PNG/PDF copies look like the page.
  var whiteBackground = {
    id: 'whiteBackground',
    beforeDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function formatY(model) {
    return function (value) {
      if (model.yFormat === 'percent') {
        return String(Number((value * 100).toFixed(Math.abs(value) < 0.1 ? 1 : 0))) + '%';
      }
      return Number(value.toPrecision(3)).toString();
    };
  }

  function datasets(model) {
    var out = [];
    model.series.forEach(function (s) {
      if (s.band) {
        out.push({
          label: '',
          band: true,
          data: s.band.lower,
          borderWidth: 0,
          pointRadius: 0,
          fill: false,
          spanGaps: true,
        });
        out.push({
          label: '',
          band: true,
          data: s.band.upper,
          borderWidth: 0,
          pointRadius: 0,
          fill: '-1',
          backgroundColor: alpha(s.color, 0.15),
          spanGaps: true,
        });
      }
      // One seed's own line: thin and faint under the variant's mean, left out of the legend.
      if (s.style === 'seed') {
        out.push({
          label: s.label,
          seedLine: true,
          data: s.data,
          borderColor: alpha(s.color, 0.45),
          backgroundColor: alpha(s.color, 0.45),
          borderDash: s.dashed ? [4, 3] : [],
          borderWidth: 1,
          pointRadius: 0,
          fill: false,
          spanGaps: true,
        });
        return;
      }
      // A run that did not learn: dotted, with its own legend entry that says so.
      if (s.style === 'not-learned') {
        out.push({
          label: s.label,
          notLearned: true,
          data: s.data,
          borderColor: s.color,
          backgroundColor: s.color,
          borderDash: [2, 3],
          borderWidth: 1.5,
          pointRadius: 0,
          pointStyle: 'crossRot',
          fill: false,
          spanGaps: true,
        });
        return;
      }
      out.push({
        label: s.label,
        data: s.data,
        borderColor: s.color,
        backgroundColor: s.color,
        borderDash: s.dashed ? [6, 4] : [],
        borderWidth: model.stepped ? 1.5 : 2,
        pointRadius: model.stepped ? 0 : 2,
        stepped: model.stepped ? 'middle' : false,
        fill: false,
        spanGaps: true,
      });
    });
    return out;
  }

  // The y axis never leaves the metric's valid range (accuracy 0–100 %, loss ≥ 0), whatever
  // Chart.js's rounding to nice ticks would add.
  function clampToRange(model) {
    return function (scale) {
      if (typeof model.yMin === 'number' && scale.min < model.yMin) scale.min = model.yMin;
      if (typeof model.yMax === 'number' && scale.max > model.yMax) scale.max = model.yMax;
    };
  }

  // How many labelled ticks come before this index.
  function tickRank(ticks, index) {
    var rank = 0;
    for (var i = 0; i < index; i++) if (ticks[i] !== null) rank++;
    return rank;
  }

  function tickStep(ticks) {
    var labelled = ticks.filter(function (t) {
      return t !== null;
    }).length;
    return Math.max(1, Math.ceil(labelled / 5));
  }

  function config(model, small) {
    var font = small ? { size: 9 } : { size: 12 };
    return {
      type: 'line',
      data: { labels: model.labels, datasets: datasets(model) },
      plugins: [whiteBackground],
      options: {
        // Sized by its .chart-box (report.css): fixed on screen, the grid cell when printed.
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          title: { display: false },
          legend: {
            labels: {
              font: font,
              boxWidth: small ? 16 : 32,
              boxHeight: 3,
              padding: small ? 4 : 10,
              filter: function (item, data) {
                var dataset = data.datasets[item.datasetIndex];
                return !dataset.band && !dataset.seedLine;
              },
              // Runs that did not learn come after the variants' means in the legend.
              sort: function (a, b, data) {
                var late = function (item) {
                  return data.datasets[item.datasetIndex].notLearned ? 1 : 0;
                };
                return late(a) - late(b) || a.datasetIndex - b.datasetIndex;
              },
            },
          },
          tooltip: { enabled: true },
        },
        scales: {
          x: {
            title: { display: true, text: model.xLabel, font: font },
            ticks: model.ticks
              ? {
                  font: font,
                  autoSkip: false,
                  maxRotation: 0,
                  callback: function (_value, index) {
                    var label = model.ticks[index];
                    // A third of a page leaves room for about five labels (and 0).
                    if (!small || label === null || label === '0') return label;
                    return tickRank(model.ticks, index) % tickStep(model.ticks) === 0
                      ? label
                      : null;
                  },
                }
              : { font: font },
            // Histogram bins are too fine for a grid line each; the decade ticks suffice.
            grid: { display: !model.ticks },
          },
          y: {
            title: { display: true, text: model.yLabel, font: font },
            beginAtZero: model.stepped || model.section !== 'curves',
            afterDataLimits: clampToRange(model),
            ticks: { callback: formatY(model), font: font },
          },
        },
      },
    };
  }

  try {
    // Legend swatches: colours set through the CSSOM, which the CSP allows (style attributes it does not).
    Array.prototype.forEach.call(document.querySelectorAll('.swatch[data-color]'), function (el) {
      el.style.backgroundColor = el.getAttribute('data-color');
    });
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var charts = data.charts.map(function (model) {
      var canvas = document.getElementById('chart-' + model.id);
      if (!canvas) throw new Error('no canvas for chart ' + model.id);
      // A printed chart is a third of the page wide: smaller type keeps its plot area readable.
      var small = canvas.parentNode.clientWidth < 420;
      return new Chart(canvas, config(model, small));
    });
    // A browser printing the page (Electron's printToPDF, a user's Ctrl+P) applies the print
    // layout only now: Chart.js needs telling (its docs, "Printing resizable charts").
    window.addEventListener('beforeprint', function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
    // Two frames: every chart has painted before exporters read the page.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        window.__reportChartCount = data.charts.length;
        window.__reportReady = true;
      });
    });
  } catch (error) {
    window.__reportError = String((error && error.stack) || error);
    throw error;
  }
})();
