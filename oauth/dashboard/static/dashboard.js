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

// The usage chart (Chart.js from the npm registry, vendored at build time).
function drawCharts() {
  const canvas = document.getElementById("usage-chart");
  if (!canvas || !window.Chart || canvas.dataset.drawn) return;
  const series = JSON.parse(canvas.dataset.series);
  canvas.dataset.drawn = "1";
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: series.labels,
      datasets: [
        { label: "Requests", data: series.requests, backgroundColor: "#2156d9" },
        { label: "Errors", data: series.errors, backgroundColor: "#b42318" },
      ],
    },
    options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } },
  });
}
window.addEventListener("load", drawCharts);
document.addEventListener("htmx:afterSettle", drawCharts);
