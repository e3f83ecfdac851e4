// The traffic table: calls and SMS messages, newest first, one keyed row each.

import { query } from "./api.js";
import { byTestId, el, setText, syncRows } from "./dom.js";
import { when, price } from "./format.js";
import { filterRows } from "./model.js";

export const TRAFFIC_LIMIT = 200;
const PROJECT = /^[0-9a-f]{16}$/;

function cell(testid) {
  return el("td", testid ? { "data-testid": testid } : {});
}

function buildRow(row, open) {
  const tr = el(
    "tr",
    { "data-testid": "traffic-row", tabindex: 0, "aria-selected": "false" },
    el("td", { "data-testid": "number" }),
    cell("kind"),
    el("td", { "data-testid": "status" }, el("span", { class: "status" })),
    cell("price"),
    cell("requested"),
    cell("executed"),
    cell("project"),
  );
  tr.addEventListener("click", () => open(tr.dataset.type, tr.dataset.id));
  tr.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(tr.dataset.type, tr.dataset.id);
    }
  });
  return tr;
}

function updateRow(tr, row, selected) {
  tr.dataset.id = row.id;
  tr.dataset.type = row.type;
  tr.dataset.kind = row.kind;
  if (tr.dataset.status !== row.status) tr.dataset.status = row.status;
  const isSelected = selected !== null && selected.type === row.type && selected.id === row.id;
  tr.setAttribute("aria-selected", String(isSelected));
  const [number, kind, status, amount, requested, executed, project] = tr.children;
  setText(number, row.number);
  setText(kind, `${row.type === "sms" ? "SMS" : "call"} · ${row.kind}`);
  const badge = status.firstElementChild;
  setText(badge, row.status);
  badge.className = `status status-${row.status}`;
  setText(amount, price(row.price));
  setText(requested, when(row.requested));
  setText(executed, when(row.executed));
  setText(project, row.project || "");
}

/** The server-side filters from the form: number, status and project where each list takes them. */
export function listQueries(filters, callStatuses, smsStatuses) {
  const project = PROJECT.test(filters.project) ? filters.project : "";
  const base = { number: filters.number, project, limit: TRAFFIC_LIMIT };
  const status = filters.status;
  return {
    calls: !status || callStatuses.has(status) ? query({ ...base, status }) : null,
    messages: !status || smsStatuses.has(status) ? query({ ...base, status }) : null,
    projectInvalid: filters.project !== "" && project === "",
  };
}

export function renderTraffic(rows, filters, selected, open) {
  const shown = filterRows(rows, filters);
  const body = byTestId("traffic");
  syncRows(body, shown, (row) => `${row.type}:${row.id}`, (row) => buildRow(row, open), (tr, row) => updateRow(tr, row, selected));
  const hidden = rows.length - shown.length;
  setText(byTestId("traffic-count"), `${shown.length} shown${hidden ? `, ${hidden} filtered out on this page` : ""}; the newest ${TRAFFIC_LIMIT} calls and ${TRAFFIC_LIMIT} messages are listed.`);
}
