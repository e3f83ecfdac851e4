// The request journal: /__admin/requests with its filters, and /requests/count.

import { api, query } from "./api.js";
import { byTestId, el, formValues, setText, syncRows } from "./dom.js";
import { when } from "./format.js";

const JOURNAL_LIMIT = 50;
const FILTERS = ["method", "path", "status", "error", "phoneNumber", "project"];

function bodyText(entry) {
  if (entry.body !== null && entry.body !== undefined) return JSON.stringify(entry.body, null, 2);
  return entry.bodyText ?? "";
}

function faultText(fault) {
  if (!fault) return "";
  return fault.kind ? `${fault.kind}${fault.id ? ` (${fault.id})` : ""}` : JSON.stringify(fault);
}

function journalRow(entry) {
  const text = bodyText(entry);
  return el(
    "tr",
    { "data-testid": "journal-row", "data-seq": entry.seq },
    el("td", { text: when(Math.floor(entry.time)) }),
    el("td", { text: entry.method }),
    el("td", { class: "wrap", text: entry.path + (entry.query ? `?${entry.query}` : "") }),
    el("td", { text: entry.status ?? "" }),
    el("td", { text: entry.error ?? "" }),
    el("td", { text: faultText(entry.fault) }),
    el("td", {}, el("code", { text: entry.token ?? "" })),
    el("td", {}, text ? el("details", {}, el("summary", { text: `${entry.bodySize ?? text.length} bytes${entry.bodyTruncated ? ", truncated" : ""}` }), el("pre", { "data-testid": "journal-body", text })) : ""),
  );
}

/** The listing's query and the count's body from the filter form (only what is filled in). */
export function journalRequests(values) {
  const filters = {};
  for (const name of FILTERS) if (values[name]) filters[name] = values[name];
  const count = { ...filters };
  if (count.status) count.status = Number(count.status);
  if (values.bodyContains) count.bodyContains = values.bodyContains;
  return { list: `/requests${query({ ...filters, limit: JOURNAL_LIMIT })}`, count };
}

export async function loadJournal() {
  const form = byTestId("journal-filters");
  if (!form.checkValidity()) return null;
  const requests = journalRequests(formValues(form));
  const [listing, counted] = await Promise.all([api("GET", requests.list), api("POST", "/requests/count", requests.count)]);
  return { listing, counted: counted.count, bodyFiltered: Boolean(requests.count.bodyContains) };
}

export function renderJournal(page, journal) {
  if (!journal) return;
  const { listing, counted, bodyFiltered } = journal;
  syncRows(byTestId("journal"), listing.requests, (entry) => entry.seq, journalRow);
  setText(
    byTestId("journal-count"),
    `${listing.total} matching entries (showing the newest ${listing.requests.length}); ${counted} counted${bodyFiltered ? " with the body filter" : ""}.`,
  );
}

export function wireJournal(page) {
  const form = byTestId("journal-filters");
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", () => page.refresh());
  byTestId("journal-clear").addEventListener("click", () => page.act(() => api("DELETE", "/requests"), "journal forgotten"));
}
