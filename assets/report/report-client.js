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

  function config(model) {
    return {
      type: 'line',
      data: { labels: model.labels, datasets: datasets(model) },
      plugins: [whiteBackground],
      options: {
        responsive: false,
        animation: false,
        plugins: {
          title: { display: false },
          legend: {
            labels: {
              filter: function (item, data) {
                return !data.datasets[item.datasetIndex].band;
              },
            },
          },
          tooltip: { enabled: true },
        },
        scales: {
          x: {
            title: { display: true, text: model.xLabel },
            ticks: model.ticks
              ? {
                  autoSkip: false,
                  maxRotation: 0,
                  callback: function (_value, index) {
                    return model.ticks[index];
                  },
                }
              : {},
            // Histogram bins are too fine for a grid line each; the decade ticks suffice.
            grid: { display: !model.ticks },
          },
          y: {
            title: { display: true, text: model.yLabel },
            beginAtZero: model.stepped || model.section !== 'curves',
            ticks: { callback: formatY(model) },
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
    data.charts.forEach(function (model) {
      var canvas = document.getElementById('chart-' + model.id);
      if (!canvas) throw new Error('no canvas for chart ' + model.id);
      new Chart(canvas, config(model));
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
