// The dashboard's own script (no inline scripts: the pages' CSP allows only this origin).
"use strict";

// Copy buttons: <button data-copy="#input-id">, for the key or secret shown once.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");
  }
  button.textContent = "Copied";
  button.setAttribute("aria-live", "polite");
});

// Charts (Chart.js from the npm registry, vendored at build time): every
// <canvas data-series='{"labels": [...], "datasets": [{"label", "data", "color"}],
// "stacked": true}'> ("stacked" optional: the bars of one label stacked).
const PALETTE = [
  "#2156d9", "#b42318", "#027a48", "#b54708", "#6941c6", "#0e7090", "#c11574", "#475467",
];
function datasetsOf(series) {
  return series.datasets.map((d, i) => ({
    label: d.label,
    data: d.data,
    backgroundColor: d.color || PALETTE[i % PALETTE.length],
  }));
}
function drawCharts() {
  if (!window.Chart) return;
  for (const canvas of document.querySelectorAll("canvas[data-series]")) {
    if (canvas.dataset.drawn) continue;
    const series = JSON.parse(canvas.dataset.series);
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: canvas.dataset.chart || "bar",
      data: { labels: series.labels, datasets: datasetsOf(series) },
      options: {
        animation: false,
        responsive: true,
        scales: {
          x: { stacked: Boolean(series.stacked) },
          y: { stacked: Boolean(series.stacked), beginAtZero: true },
        },
      },
    });
  }
}
window.addEventListener("load", drawCharts);
document.addEventListener("htmx:afterSettle", drawCharts);
