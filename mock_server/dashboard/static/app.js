// The page's entry point: tabs, the poll (about once a second, paused while the tab is hidden),
// the admin-token form, and one refresh of everything after any change.

import { ApiError, TokenNeeded, adminToken, api, keepAdminToken } from "./api.js";
import { byTestId, formValues } from "./dom.js";
import { renderClock, wireClock } from "./clock.js";
import { loadFaults, renderFaults, wireFaults } from "./faults.js";
import { renderGlance } from "./glance.js";
import { loadJournal, renderJournal, wireJournal } from "./journal.js";
import { trafficRows } from "./model.js";
import { loadOutcomes, renderOutcomes, wireOutcomes } from "./outcomes.js";
import { deliveriesQuery, renderDetail } from "./story.js";
import { listQueries, renderTraffic } from "./traffic.js";
import { loadWebhooks, renderWebhooks, wireWebhooks } from "./webhooks.js";

const POLL_MS = 1000;
const TABS = ["traffic", "outcomes", "journal", "webhooks", "faults", "glance"];
const body = document.body;
const smsCodes = JSON.parse(body.dataset.smsCodes);
const smsStatuses = new Set(Object.values(smsCodes));
const callStatuses = new Set([...document.querySelectorAll('[data-testid="traffic-filters"] select[name=status] optgroup[label=Calls] option')].map((option) => option.value));

const TAB_LOADERS = {
  outcomes: [loadOutcomes, (page, data) => renderOutcomes(page, data)],
  journal: [loadJournal, (page, data) => renderJournal(page, data)],
  webhooks: [loadWebhooks, (page, data) => renderWebhooks(page, data)],
  faults: [loadFaults, (page, data) => renderFaults(page, data)],
};

const page = {
  state: { now: 0, mode: "", rows: [], open: null, tab: "traffic", waitingForToken: false },
  refresh,
  notify,
  act,
};

let timer = null;
let generation = 0;

function notify(message, isError = false) {
  const notice = byTestId("notice");
  notice.textContent = message;
  notice.classList.toggle("error", isError);
}

function showPollError(message) {
  body.dataset.error = message;
  const shown = byTestId("error");
  shown.textContent = message;
  shown.hidden = false;
}

function clearPollError() {
  delete body.dataset.error;
  const shown = byTestId("error");
  shown.hidden = true;
  shown.textContent = "";
}

/** Run a change through the API, then refresh everything at once; true when it was done. */
async function act(change, done) {
  try {
    await change();
    notify(done);
  } catch (error) {
    if (error instanceof TokenNeeded) askForToken(error.message);
    else notify(error instanceof ApiError ? error.message : String(error), true);
    return false;
  }
  await refresh();
  return true;
}

function trafficFilters() {
  return formValues(byTestId("traffic-filters"));
}

async function loadEverything() {
  const filters = trafficFilters();
  const queries = listQueries(filters, callStatuses, smsStatuses);
  const loader = TAB_LOADERS[page.state.tab];
  const open = page.state.open;
  const [clock, calls, messages, tabData, deliveries] = await Promise.all([
    api("GET", "/clock"),
    queries.calls === null ? { calls: [] } : api("GET", `/calls${queries.calls}`),
    queries.messages === null ? { messages: [] } : api("GET", `/sms/messages${queries.messages}`),
    loader ? loader[0]() : null,
    open ? api("GET", deliveriesQuery(open)) : null,
  ]);
  return { filters, queries, clock, calls: calls.calls, messages: messages.messages, tabData, deliveries };
}

function render(loaded) {
  const { state } = page;
  state.now = loaded.clock.now;
  state.mode = loaded.clock.mode;
  state.rows = trafficRows(loaded.calls, loaded.messages, smsCodes);
  const openRow = state.open && state.rows.find((row) => row.type === state.open.type && row.id === state.open.id);
  renderClock(page);
  renderTraffic(state.rows, loaded.filters, state.open, openItem);
  renderDetail(page, openRow || null, loaded.deliveries ? loaded.deliveries.deliveries : []);
  const loader = TAB_LOADERS[state.tab];
  if (loader) loader[1](page, loaded.tabData);
  if (state.tab === "glance") renderGlance(state.rows, state.now);
  if (loaded.queries.projectInvalid) notify("the project filter is 16 lowercase hex digits (a token's fingerprint); ignored", true);
}

/** Read everything the page shows and draw it; a newer refresh wins over an older one. */
async function refresh() {
  if (page.state.waitingForToken) return;
  const mine = ++generation;
  try {
    const loaded = await loadEverything();
    if (mine !== generation) return;
    render(loaded);
    clearPollError();
    body.dataset.ready = "1";
  } catch (error) {
    if (mine !== generation) return;
    showPollError(error instanceof ApiError ? error.message : String(error));
    if (error instanceof TokenNeeded) askForToken("");
  }
}

function schedule() {
  clearTimeout(timer);
  timer = null;
  if (document.visibilityState === "hidden" || page.state.waitingForToken) return;
  timer = setTimeout(async () => {
    await refresh();
    schedule();
  }, POLL_MS);
}

function openItem(type, id) {
  page.state.open = { type, id };
  refresh().then(() => {
    const panel = byTestId("call-detail");
    if (!panel.hidden) panel.focus();
  });
}

function askForToken(message) {
  keepAdminToken(null);
  page.state.waitingForToken = true;
  clearTimeout(timer);
  const form = byTestId("token-form");
  form.hidden = false;
  if (message) notify(message, true);
  form.elements.token.focus();
}

function wireToken() {
  const form = byTestId("token-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    keepAdminToken(formValues(form).token);
    form.reset();
    form.hidden = true;
    page.state.waitingForToken = false;
    notify("");
    refresh().then(schedule);
  });
}

function wireTabs(refillWebhooks) {
  for (const button of document.querySelectorAll("nav.tabs [data-tab]")) {
    button.addEventListener("click", () => {
      const tab = button.dataset.tab;
      page.state.tab = tab;
      for (const other of document.querySelectorAll("nav.tabs [data-tab]")) other.setAttribute("aria-pressed", String(other === button));
      for (const name of TABS) document.querySelector(`[data-section="${name}"]`).hidden = name !== tab;
      if (tab === "webhooks") refillWebhooks().catch(() => {});
      refresh();
    });
  }
}

function wireDetail() {
  byTestId("detail-close").addEventListener("click", () => {
    const open = page.state.open;
    page.state.open = null;
    byTestId("call-detail").hidden = true;
    const row = open && document.querySelector(`tr[data-testid="traffic-row"][data-id="${CSS.escape(open.id)}"]`);
    if (row) row.focus();
  });
  byTestId("call-detail").addEventListener("keydown", (event) => {
    if (event.key === "Escape") byTestId("detail-close").click();
  });
}

function start() {
  wireClock(page);
  wireOutcomes(page);
  wireJournal(page);
  wireFaults(page);
  wireTabs(wireWebhooks(page));
  wireDetail();
  wireToken();
  const filters = byTestId("traffic-filters");
  filters.addEventListener("submit", (event) => event.preventDefault());
  filters.addEventListener("input", () => refresh());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh().then(schedule);
    else clearTimeout(timer);
  });
  if (body.dataset.adminToken === "required" && !adminToken()) {
    askForToken("");
    return;
  }
  refresh().then(schedule);
}

start();
