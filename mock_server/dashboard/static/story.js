// The detail panel: a call's (or a message's) story drawn as an inline SVG time line, its
// facts, and its webhook deliveries with a Redeliver button each.

import { api, query } from "./api.js";
import { byTestId, el, setText, svg, syncRows } from "./dom.js";
import { duration, iso, price, when } from "./format.js";
import { callStory, messageStory, scaleFor, storySteps } from "./timeline.js";

const WIDTH = 640;
const BAR_Y = 34;
const BAR_HEIGHT = 18;

function timelineSvg(story, now) {
  const scale = scaleFor(story, now, WIDTH);
  const pieces = [svg("line", { x1: 0, x2: WIDTH, y1: BAR_Y + BAR_HEIGHT / 2, y2: BAR_Y + BAR_HEIGHT / 2, class: "axis" })];
  for (const segment of story.segments) {
    const x = scale.x(segment.from);
    const width = Math.max(scale.x(segment.to) - x, 1.5);
    pieces.push(
      svg(
        "rect",
        { x, y: BAR_Y, width, height: BAR_HEIGHT, class: `seg seg-${segment.kind}`, "data-kind": segment.kind },
        svg("title", { text: `${segment.label}: ${when(segment.from)} to ${when(segment.to)} (${duration(segment.to - segment.from)})` }),
      ),
    );
  }
  if (scale.breakAt) {
    const [left, right] = scale.breakAt;
    pieces.push(svg("rect", { x: left, y: BAR_Y - 4, width: right - left, height: BAR_HEIGHT + 8, class: "gap" }, svg("title", { text: "time compressed" })));
  }
  for (const mark of story.marks) {
    const x = scale.x(mark.at);
    pieces.push(
      svg(
        "g",
        { class: `mark mark-${mark.kind}`, "data-kind": mark.kind },
        svg("line", { x1: x, x2: x, y1: BAR_Y - 8, y2: BAR_Y + BAR_HEIGHT + 8 }),
        svg("title", { text: `${mark.label}: ${when(mark.at)}` }),
      ),
    );
  }
  const final = story.marks.find((mark) => mark.kind === "final");
  const ttl = story.marks.find((mark) => mark.kind === "ttl");
  if (final) pieces.push(svg("text", { x: Math.min(scale.x(final.at), WIDTH - 4), y: BAR_Y + BAR_HEIGHT + 22, class: "label", "text-anchor": "end", text: final.label.split(":")[0] }));
  if (ttl && ttl.at !== story.end) pieces.push(svg("text", { x: Math.min(scale.x(ttl.at), WIDTH - 4), y: BAR_Y - 12, class: "label", "text-anchor": "end", text: "TTL" }));
  pieces.push(
    svg(
      "g",
      { class: "now", "data-kind": "now" },
      svg("line", { x1: scale.nowX, x2: scale.nowX, y1: 6, y2: BAR_Y + BAR_HEIGHT + 10 }),
      svg("text", { x: Math.max(scale.nowX, 14), y: 16, "text-anchor": "middle", class: "label", text: "now" }),
      svg("title", { text: `the clock: ${iso(now)}` }),
    ),
  );
  return svg(
    "svg",
    { "data-testid": "timeline", viewBox: `0 0 ${WIDTH} 90`, width: "100%", role: "img", "aria-label": "time line of the story; the steps are listed below" },
    pieces,
  );
}

function steps(story) {
  const items = storySteps(story).map((step) => ({
    at: step.at,
    text: step.lasts === null ? step.label : `${step.label} (${duration(step.lasts)})`,
  }));
  return el("ol", { class: "steps", "data-testid": "story-steps" }, items.map((item) => el("li", {}, el("time", { text: when(item.at) }), " ", item.text)));
}

function facts(row) {
  const item = row.source;
  const pairs = [
    ["Id", row.id],
    ["Number", row.number],
    ["Kind", `${row.type === "sms" ? "SMS" : "call"} · ${row.kind}`],
    ["Status", row.status],
    ["Price", price(row.price)],
    ["Project", row.project || "none"],
    [row.type === "sms" ? "Batch" : "Campaign", row.campaign || "none"],
  ];
  if (row.type === "call") {
    pairs.push(["Retries allowed", String(item.retryCount)], ["Billed", `${item.record.billSec} s`]);
  } else {
    pairs.push(["Parts", String(item.partCount)], ["Text", item.text]);
  }
  return pairs.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]);
}

function deliveryRow(page, delivery) {
  return el(
    "tr",
    { "data-testid": "delivery-row", "data-id": delivery.id },
    el("td", { text: when(delivery.at) }),
    el("td", { text: `${delivery.kind} #${delivery.attempt}` }),
    el("td", {}, el("span", { class: `outcome outcome-${delivery.outcome}`, text: delivery.outcome })),
    el("td", { text: delivery.status ?? delivery.error ?? "" }),
    el("td", { class: "wrap", text: delivery.url ?? "" }),
    el("td", {}, redeliverButton(page, delivery.id)),
  );
}

export function redeliverButton(page, deliveryId) {
  return el("button", {
    type: "button",
    "data-testid": "redeliver",
    text: "Redeliver",
    onclick: () => page.act(() => api("POST", `/webhooks/deliveries/${deliveryId}/redeliver`), "delivered once more"),
  });
}

/** Show the open row's story (or hide the panel when nothing is open or it left the list). */
export function renderDetail(page, row, deliveries) {
  const panel = byTestId("call-detail");
  if (!row) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  panel.dataset.id = row.id;
  panel.dataset.type = row.type;
  setText(panel.querySelector("h3"), `${row.type === "sms" ? "Message" : "Call"} to ${row.number}`);
  byTestId("detail-facts").replaceChildren(...facts(row));
  const story = row.type === "sms" ? messageStory(row.source) : callStory(row.source);
  byTestId("timeline-box").replaceChildren(timelineSvg(story, page.state.now), steps(story));
  syncRows(byTestId("detail-deliveries"), deliveries, (delivery) => delivery.id, (delivery) => deliveryRow(page, delivery));
}

export function deliveriesQuery(row) {
  return `/webhooks/deliveries${query({ callId: row.id, limit: 50 })}`;
}
