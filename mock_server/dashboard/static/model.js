// What the page shows, worked out from the control plane's answers: no DOM here.

export const CALL_FINAL = new Set(["NORMAL", "NO_ANSWER", "USER_BUSY", "EXPIRED", "ERROR", "UNKNOWN"]);
const SMS_PENDING = new Set(["WAITING", "CHECK_OK"]);

/** The SMS status name of a record's numeric `status` (codes given by the page). */
export function smsStatusName(code, smsCodes) {
  return smsCodes[String(code)] || `CODE_${code}`;
}

/** One traffic row per call and message, newest first (a call before a message sent the same second). */
export function trafficRows(calls, messages, smsCodes) {
  const rows = calls.map((call, order) => ({
    type: "call",
    id: call.id,
    number: call.phoneNumber,
    kind: call.kind,
    status: call.record.status,
    price: call.record.price,
    requested: call.requestDate,
    executed: call.record.executionDate || null,
    project: call.project ?? null,
    campaign: call.campaignId ?? null,
    order,
    source: call,
  }));
  messages.forEach((message, order) => {
    const status = smsStatusName(message.record.status, smsCodes);
    rows.push({
      type: "sms",
      id: message.id,
      number: message.phoneNumber,
      kind: message.kind,
      status,
      price: message.record.price,
      requested: message.requestDate,
      executed: status === "WAITING" ? null : message.plan.checkedAt,
      project: message.project ?? null,
      campaign: message.batchId ?? null,
      order,
      source: message,
    });
  });
  return rows.sort(
    (a, b) => b.requested - a.requested || (a.type === b.type ? a.order - b.order : a.type === "call" ? -1 : 1),
  );
}

/** The rows the client-side filters keep: kind ("call", "sms", "call:batch", "sms:otp"...) and campaign. */
export function filterRows(rows, { kind = "", campaign = "" } = {}) {
  const wantedCampaign = campaign.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!kind || kind === row.type || kind === `${row.type}:${row.kind}`) &&
      (!wantedCampaign || (row.campaign || "").toLowerCase().includes(wantedCampaign)),
  );
}

/** Every moment a call's record or a message's record can change, from its plan. */
export function boundaries(row) {
  const item = row.source;
  if (row.type === "sms") return [item.plan.checkedAt, item.plan.finalAt];
  const moments = [item.plan.finalAt];
  for (const attempt of item.plan.attempts) {
    moments.push(attempt.start, attempt.start + attempt.ringSeconds, attempt.end);
  }
  return moments;
}

function isPending(row) {
  return row.type === "sms" ? SMS_PENDING.has(row.status) : row.status === "WAITING";
}

/** The earliest moment after `now` at which a listed pending call or message changes; null if none. */
export function nextEventAt(rows, now) {
  let next = null;
  for (const row of rows) {
    if (!isPending(row)) continue;
    for (const moment of boundaries(row)) {
      if (moment > now && (next === null || moment < next)) next = moment;
    }
  }
  return next;
}

/**
 * Where "to the time-to-live" moves the clock: the open call's `expiresAt` while it is still
 * WAITING, else the latest `expiresAt` of the listed WAITING calls (every one of them is final
 * then); null when no listed call waits.
 */
export function ttlTarget(rows, now, openId = null) {
  const waiting = rows.filter((row) => row.type === "call" && row.status === "WAITING" && row.source.expiresAt > now);
  const open = waiting.find((row) => row.id === openId);
  if (open) return open.source.expiresAt;
  return waiting.length ? Math.max(...waiting.map((row) => row.source.expiresAt)) : null;
}

/** How many rows have each status, calls and messages apart: [{type, status, count}]. */
export function statusCounts(rows) {
  const counts = new Map();
  for (const row of rows) {
    const key = `${row.type}\u0000${row.status}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, count]) => {
      const [type, status] = key.split("\u0000");
      return { type, status, count };
    })
    .sort((a, b) => (a.type === b.type ? b.count - a.count || a.status.localeCompare(b.status) : a.type === "call" ? -1 : 1));
}

/**
 * Spend per project as it grew: for each project, points {at, total} (Toman, positive) in time
 * order. A call is charged when its record turns final, a message when the operator takes it.
 */
export function spendSeries(rows) {
  const charges = [];
  for (const row of rows) {
    if (typeof row.price !== "number" || row.price >= 0) continue;
    const at = row.type === "sms" ? row.source.plan.checkedAt : row.source.plan.finalAt;
    charges.push({ project: row.project || "no project", at, amount: -row.price });
  }
  charges.sort((a, b) => a.at - b.at);
  const series = new Map();
  for (const charge of charges) {
    const points = series.get(charge.project) || [];
    const total = (points.length ? points[points.length - 1].total : 0) + charge.amount;
    points.push({ at: charge.at, total: Math.round(total * 100) / 100 });
    series.set(charge.project, points);
  }
  return [...series.entries()].map(([project, points]) => ({ project, points }));
}
