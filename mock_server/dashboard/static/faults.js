// Faults and rate limits: listed, added, removed, cleared.

import { api } from "./api.js";
import { byTestId, el, formValues, setText, syncRows } from "./dom.js";

const NUMBER_FIELDS = new Set(["status", "seconds", "times", "probability"]);
const KIND_FIELDS = {
  status: ["status", "error"],
  delay: ["seconds"],
  drop: [],
  malformed: ["status", "body"],
};
const MATCH_FIELDS = ["method", "path", "phoneNumber", "times", "probability"];

/** POST /__admin/faults body: the kind, then only the fields filled in that the kind takes. */
export function faultBody(values) {
  const body = { kind: values.kind };
  for (const name of [...MATCH_FIELDS, ...KIND_FIELDS[values.kind]]) {
    const value = values[name];
    if (value === "" || value === undefined) continue;
    body[name] = NUMBER_FIELDS.has(name) ? Number(value) : value;
  }
  return body;
}

/** PUT /__admin/rate-limit body: an empty field is off (null). */
export function rateLimitBody(values) {
  const number = (text) => (text === "" ? null : Number(text));
  return { rps: number(values.rps), burst: number(values.burst), maxWaiting: number(values.maxWaiting) };
}

function matches(fault) {
  const parts = [fault.method, fault.path ?? (fault.pathPattern ? `/${fault.pathPattern}/` : null), fault.phoneNumber, fault.token && `token ${fault.token}`];
  return parts.filter(Boolean).join(" ") || "every request";
}

function does(fault) {
  if (fault.kind === "status") return `${fault.status}${fault.error ? ` ${fault.error}` : ""}`;
  if (fault.kind === "delay") return fault.seconds !== undefined ? `${fault.seconds} s` : `${fault.minSeconds} to ${fault.maxSeconds} s`;
  if (fault.kind === "malformed") return `${fault.body ?? "truncated"} body${fault.status ? `, ${fault.status}` : ""}`;
  return "closes the connection";
}

function faultRow(page, fault) {
  return el(
    "tr",
    { "data-testid": "fault-row", "data-id": fault.id },
    el("td", { text: fault.kind }),
    el("td", { class: "wrap", text: matches(fault) }),
    el("td", { text: does(fault) + (fault.probability !== undefined ? ` (p ${fault.probability})` : "") }),
    el("td", { "data-testid": "fault-hits", text: fault.hits }),
    el("td", { text: fault.remaining ?? "every time" }),
    el("td", {}, el("button", {
      type: "button",
      "data-testid": "fault-remove",
      text: "Remove",
      onclick: () => page.act(() => api("DELETE", `/faults/${encodeURIComponent(fault.id)}`), "fault removed"),
    })),
  );
}

export async function loadFaults() {
  const [faults, limits] = await Promise.all([api("GET", "/faults"), api("GET", "/rate-limit")]);
  return { faults: faults.faults, limits };
}

export function renderFaults(page, data) {
  syncRows(byTestId("faults"), data.faults, (fault) => fault.id, (fault) => faultRow(page, fault), (row, fault) => {
    setText(row.querySelector('[data-testid="fault-hits"]'), fault.hits);
    setText(row.children[4], fault.remaining ?? "every time");
  });
  const { rps, burst, maxWaiting } = data.limits;
  const legend = byTestId("rate-limit-form").querySelector("legend");
  setText(legend, `Rate limits per token (now: ${rps ?? "no"} rps, burst ${burst ?? "-"}, ${maxWaiting ?? "no"} waiting-call limit)`);
}

export function wireFaults(page) {
  byTestId("fault-form").addEventListener("submit", (event) => {
    event.preventDefault();
    page.act(() => api("POST", "/faults", faultBody(formValues(event.target))), "fault added");
  });
  byTestId("faults-clear").addEventListener("click", () => page.act(() => api("DELETE", "/faults"), "every fault removed"));
  byTestId("rate-limit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    page.act(() => api("PUT", "/rate-limit", rateLimitBody(formValues(event.target))), "rate limits set");
  });
  byTestId("rate-limit-reset").addEventListener("click", () => page.act(() => api("DELETE", "/rate-limit"), "rate limits back to the start-up ones"));
}
