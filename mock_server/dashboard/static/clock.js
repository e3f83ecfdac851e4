// The clock: its mode and time, and the buttons and form that move it.

import { api } from "./api.js";
import { byTestId, formValues, setText } from "./dom.js";
import { iso, parseTime } from "./format.js";
import { nextEventAt, ttlTarget } from "./model.js";

export function renderClock(page) {
  const { now, mode, rows, open } = page.state;
  const shown = byTestId("clock-now");
  setText(shown, iso(now));
  shown.setAttribute("datetime", iso(now));
  if (shown.dataset.epoch !== String(now)) shown.dataset.epoch = String(now);
  setText(byTestId("clock-mode"), mode);
  const next = nextEventAt(rows, now);
  const ttl = ttlTarget(rows, now, open && open.type === "call" ? open.id : null);
  const nextButton = byTestId("advance-next");
  nextButton.disabled = next === null;
  nextButton.dataset.target = next === null ? "" : String(next);
  nextButton.title = next === null ? "no listed call or message is waiting" : `to ${iso(next)}`;
  const ttlButton = byTestId("advance-ttl");
  ttlButton.disabled = ttl === null;
  ttlButton.dataset.target = ttl === null ? "" : String(ttl);
  ttlButton.title = ttl === null ? "no listed call is waiting" : `to ${iso(ttl)}`;
}

function setTo(page, target) {
  return page.act(() => api("POST", "/clock/set", { now: target }), `clock set to ${iso(target)}`);
}

export function wireClock(page) {
  const advance = (seconds) => page.act(() => api("POST", "/clock/advance", { seconds }), `clock moved ${seconds} s`);
  byTestId("advance-minute").addEventListener("click", () => advance(60));
  byTestId("advance-hour").addEventListener("click", () => advance(3600));
  for (const testid of ["advance-next", "advance-ttl"]) {
    const button = byTestId(testid);
    button.addEventListener("click", () => {
      const target = Number(button.dataset.target);
      if (target > page.state.now) setTo(page, target);
    });
  }
  const form = byTestId("clock-set");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const target = parseTime(formValues(form).time);
    if (Number.isNaN(target)) {
      page.notify("the time to set is not an ISO date and time (2023-11-14T22:13:20Z) nor Unix seconds", true);
      return;
    }
    setTo(page, target);
  });
}
