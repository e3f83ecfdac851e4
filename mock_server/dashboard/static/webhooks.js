// Webhooks: the configuration (view and edit), delivery faults, every delivery with a
// Redeliver button.

import { api, query } from "./api.js";
import { byTestId, el, formValues, setText, syncRows } from "./dom.js";
import { when } from "./format.js";
import { redeliverButton } from "./story.js";

const DELIVERIES_LIMIT = 50;

export async function loadWebhooks() {
  const [config, deliveries] = await Promise.all([
    api("GET", "/webhooks/config"),
    api("GET", `/webhooks/deliveries${query({ limit: DELIVERIES_LIMIT })}`),
  ]);
  return { config, deliveries: deliveries.deliveries, total: deliveries.total };
}

function deliveryRow(page, delivery) {
  const body = delivery.body === null ? "" : JSON.stringify(delivery.body, null, 2);
  return el(
    "tr",
    { "data-testid": "webhook-delivery-row", "data-id": delivery.id },
    el("td", { text: when(delivery.at) }),
    el("td", {}, el("code", { text: delivery.event })),
    el("td", { text: delivery.kind }),
    el("td", { text: delivery.attempt }),
    el("td", {}, el("span", { class: `outcome outcome-${delivery.outcome}`, text: delivery.outcome })),
    el("td", { text: delivery.status ?? delivery.error ?? "" }),
    el("td", { class: "wrap", text: delivery.url ?? "" }),
    el("td", {}, body ? el("details", {}, el("summary", { text: "body" }), el("pre", { text: body })) : ""),
    el("td", {}, redeliverButton(page, delivery.id)),
  );
}

function describeConfig(config) {
  const perToken = Object.keys(config.tokenUrls).length;
  const faults = config.faults;
  return `Now: URL ${config.url ?? "none"}${perToken ? ` (+${perToken} per-token URLs)` : ""}, timeout ${config.timeoutSeconds} s, ` +
    `${config.retries} retries, backoff ${config.backoffSeconds} s; faults: delay ${faults.delaySeconds ?? 0} s, ` +
    `${faults.duplicates ?? 0} duplicates${faults.outOfOrder ? ", out of order" : ""}; ${config.pendingEvents} events waiting.`;
}

/** Fill the forms with the configuration (when the tab opens and after a save, not every poll). */
export function fillWebhookForms(config) {
  const form = byTestId("webhook-config");
  form.elements.url.value = config.url ?? "";
  form.elements.timeoutSeconds.value = config.timeoutSeconds;
  form.elements.retries.value = config.retries;
  form.elements.backoffSeconds.value = config.backoffSeconds;
  form.elements.negativeBalance.checked = config.negativeBalance;
  const faults = byTestId("webhook-faults");
  faults.elements.delaySeconds.value = config.faults.delaySeconds ?? 0;
  faults.elements.duplicates.value = config.faults.duplicates ?? 0;
  faults.elements.outOfOrder.checked = Boolean(config.faults.outOfOrder);
}

export function renderWebhooks(page, webhooks) {
  setText(byTestId("webhook-current"), describeConfig(webhooks.config));
  syncRows(byTestId("webhook-deliveries"), webhooks.deliveries, (delivery) => delivery.id, (delivery) => deliveryRow(page, delivery));
}

/** POST /__admin/webhooks/config body: an empty URL is none (null). */
export function configBody(values) {
  return {
    url: values.url || null,
    timeoutSeconds: Number(values.timeoutSeconds),
    retries: Number(values.retries),
    backoffSeconds: Number(values.backoffSeconds),
    negativeBalance: values.negativeBalance,
  };
}

export function wireWebhooks(page) {
  const refill = async () => fillWebhookForms(await api("GET", "/webhooks/config"));
  byTestId("webhook-config").addEventListener("submit", (event) => {
    event.preventDefault();
    page.act(() => api("POST", "/webhooks/config", configBody(formValues(event.target))), "webhook configuration saved").then((done) => done && refill());
  });
  byTestId("webhook-faults").addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(event.target);
    const body = { delaySeconds: Number(values.delaySeconds || 0), duplicates: Number(values.duplicates || 0), outOfOrder: values.outOfOrder };
    page.act(() => api("POST", "/webhooks/faults", body), "delivery faults saved").then((done) => done && refill());
  });
  return refill;
}
