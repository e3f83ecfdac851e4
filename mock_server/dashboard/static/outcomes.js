// Scenario rules: listed, added and removed through /__admin/scenarios.

import { api } from "./api.js";
import { byTestId, el, formValues, syncRows } from "./dom.js";
import { when } from "./format.js";

/** The attempts a rule scripts: the attempts text ("USER_BUSY, NORMAL:30"), else [outcome]. */
export function attemptsFrom(text, outcome) {
  const entries = text.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (!entries.length) return [outcome];
  return entries.map((entry) => {
    const [status, talk] = entry.split(":").map((part) => part.trim());
    return talk ? { status: status.toUpperCase(), talkSeconds: Number(talk) } : status.toUpperCase();
  });
}

/** POST /__admin/scenarios body from the form's values. */
export function scenarioBody(values) {
  const body = values.kind === "sms" ? { kind: "sms", outcome: values.outcome } : { attempts: attemptsFrom(values.attempts, values.outcome) };
  if (values.number) body.number = values.number;
  if (values.pattern) body.pattern = values.pattern;
  return body;
}

function describe(rule) {
  if (rule.kind === "sms") return rule.outcome;
  return rule.attempts.map((attempt) => (attempt.talkSeconds ? `${attempt.status} (${attempt.talkSeconds} s talk)` : attempt.status)).join(", then ");
}

function ruleRow(page, rule) {
  return el(
    "tr",
    { "data-testid": "scenario-row", "data-id": rule.id },
    el("td", {}, el("code", { text: rule.number ?? `/${rule.pattern}/` })),
    el("td", { text: rule.kind === "sms" ? "SMS" : "calls" }),
    el("td", { text: describe(rule) }),
    el("td", { text: when(rule.createdAt) }),
    el("td", {}, el("button", {
      type: "button",
      "data-testid": "scenario-remove",
      text: "Remove",
      "aria-label": `Remove the rule for ${rule.number ?? rule.pattern}`,
      onclick: () => page.act(() => api("DELETE", `/scenarios/${encodeURIComponent(rule.id)}`), "rule removed"),
    })),
  );
}

export async function loadOutcomes() {
  return (await api("GET", "/scenarios")).scenarios;
}

export function renderOutcomes(page, rules) {
  syncRows(byTestId("scenarios"), rules, (rule) => rule.id, (rule) => ruleRow(page, rule));
}

export function wireOutcomes(page) {
  const form = byTestId("scenario-form");
  const outcome = form.elements.outcome;
  const choices = { call: outcome.dataset.callOutcomes.split(","), sms: outcome.dataset.smsOutcomes.split(",") };
  form.elements.kind.addEventListener("change", () => {
    const names = choices[form.elements.kind.value];
    outcome.replaceChildren(...names.map((name) => el("option", { value: name, text: name })));
    form.elements.attempts.disabled = form.elements.kind.value === "sms";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(form);
    if (!values.number === !values.pattern) {
      page.notify("a rule needs a number or a pattern (not both)", true);
      return;
    }
    page.act(() => api("POST", "/scenarios", scenarioBody(values)), "rule added").then((done) => {
      if (done) {
        form.elements.number.value = "";
        form.elements.pattern.value = "";
        form.elements.attempts.value = "";
      }
    });
  });
  byTestId("scenario-clear").addEventListener("click", () => page.act(() => api("DELETE", "/scenarios"), "every rule removed"));
}
