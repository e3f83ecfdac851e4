// At a glance: counts by status and spend per project over time, as inline SVG charts drawn
// from the polled traffic.

import { byTestId, svg } from "./dom.js";
import { when } from "./format.js";
import { spendSeries, statusCounts } from "./model.js";

const WIDTH = 640;
const SERIES_CLASSES = 6;

function statusChart(rows) {
  const counts = statusCounts(rows);
  const height = Math.max(40, counts.length * 24 + 8);
  const most = Math.max(1, ...counts.map((entry) => entry.count));
  const bars = counts.map((entry, index) => {
    const y = 4 + index * 24;
    const width = Math.max(2, (entry.count / most) * (WIDTH - 240));
    return svg(
      "g",
      { "data-status": entry.status, "data-type": entry.type },
      svg("text", { x: 0, y: y + 14, class: "label", text: `${entry.type === "sms" ? "SMS" : "call"} ${entry.status}` }),
      svg("rect", { x: 180, y, width, height: 18, class: `bar status-${entry.status}` }),
      svg("text", { x: 186 + width, y: y + 14, class: "label", text: entry.count }),
    );
  });
  if (!counts.length) bars.push(svg("text", { x: 0, y: 24, class: "label", text: "Nothing listed yet." }));
  return svg("svg", { "data-testid": "glance-status", viewBox: `0 0 ${WIDTH} ${height}`, width: "100%", role: "img", "aria-label": "calls and messages by status" }, bars);
}

function spendChart(rows, now) {
  const series = spendSeries(rows);
  const height = 220;
  const left = 56;
  const bottom = height - 28;
  const right = WIDTH - 200;
  const parts = [svg("line", { x1: left, x2: right, y1: bottom, y2: bottom, class: "axis" }), svg("line", { x1: left, x2: left, y1: 8, y2: bottom, class: "axis" })];
  if (!series.length) {
    parts.push(svg("text", { x: left + 8, y: bottom - 8, class: "label", text: "No spend yet." }));
  } else {
    const first = Math.min(...series.map((entry) => entry.points[0].at));
    const last = Math.max(now, ...series.map((entry) => entry.points[entry.points.length - 1].at));
    const top = Math.max(...series.map((entry) => entry.points[entry.points.length - 1].total));
    const x = (t) => left + ((t - first) / Math.max(last - first, 1)) * (right - left);
    const y = (v) => bottom - (v / top) * (bottom - 12);
    parts.push(svg("text", { x: left - 4, y: 16, "text-anchor": "end", class: "label", text: top.toFixed(0) }));
    parts.push(svg("text", { x: left, y: height - 8, class: "label", text: when(first) }));
    parts.push(svg("text", { x: right, y: height - 8, "text-anchor": "end", class: "label", text: when(last) }));
    series.forEach((entry, index) => {
      let path = `M${x(first).toFixed(1)},${bottom}`;
      for (const point of entry.points) path += ` H${x(point.at).toFixed(1)} V${y(point.total).toFixed(1)}`;
      path += ` H${x(last).toFixed(1)}`;
      const total = entry.points[entry.points.length - 1].total;
      parts.push(
        svg("path", { d: path, class: `series series-${index % SERIES_CLASSES}`, "data-project": entry.project }, svg("title", { text: `${entry.project}: ${total.toFixed(2)}` })),
        svg("text", { x: right + 8, y: 18 + index * 18, class: `label legend series-${index % SERIES_CLASSES}`, text: `${entry.project} ${total.toFixed(2)}` }),
      );
    });
  }
  return svg("svg", { "data-testid": "glance-chart", viewBox: `0 0 ${WIDTH} ${height}`, width: "100%", role: "img", "aria-label": "spend per project over time" }, parts);
}

export function renderGlance(rows, now) {
  byTestId("glance-status-box").replaceChildren(statusChart(rows));
  byTestId("glance-chart-box").replaceChildren(spendChart(rows, now));
}
