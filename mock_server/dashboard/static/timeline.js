// A call's or a message's story as steps on a time line, from its documented plan fields
// (AdminCallPlan, the message plan): no DOM here.

const OUTCOME_WORDS = {
  NORMAL: "answered",
  USER_BUSY: "busy",
  NO_ANSWER: "no answer",
  ERROR: "error",
  UNKNOWN: "unknown failure",
};
const HANDED_OVER = new Set(["DELIVERED", "DELIVERY_FAILED"]);

/**
 * {start, end, ttl, segments: [{from, to, kind, label}], marks: [{at, kind, label}]} for a call
 * listed by GET /__admin/calls. Kinds: queued, ring, talk, retry, wait (segments); outcome,
 * final, ttl (marks).
 */
export function callStory(call) {
  const plan = call.plan;
  const segments = [];
  const marks = [];
  let cursor = call.requestDate;
  if (plan.attempts.length) {
    const firstStart = plan.attempts[0].start;
    if (firstStart > cursor) segments.push({ from: cursor, to: firstStart, kind: "queued", label: "queued" });
    cursor = firstStart;
  }
  plan.attempts.forEach((attempt, index) => {
    const number = index + 1;
    if (attempt.start > cursor) {
      segments.push({ from: cursor, to: attempt.start, kind: "retry", label: `retry wait before attempt ${number}` });
    }
    const answeredAt = attempt.start + attempt.ringSeconds;
    segments.push({ from: attempt.start, to: answeredAt, kind: "ring", label: `attempt ${number}: dialling and ringing` });
    marks.push({ at: answeredAt, kind: "outcome", label: `attempt ${number}: ${OUTCOME_WORDS[attempt.outcome] || attempt.outcome}` });
    if (attempt.talkSeconds > 0) {
      segments.push({ from: answeredAt, to: attempt.end, kind: "talk", label: `attempt ${number}: talk, ${attempt.talkSeconds} s` });
    }
    cursor = attempt.end;
  });
  if (plan.finalAt > cursor) {
    segments.push({ from: cursor, to: plan.finalAt, kind: "wait", label: "waiting until the time-to-live" });
  }
  marks.push({
    at: plan.finalAt,
    kind: "final",
    label: `${plan.status}: ${plan.billSec} s billed, price ${plan.price.toFixed(2)}`,
  });
  marks.push({ at: call.expiresAt, kind: "ttl", label: "time-to-live" });
  return { start: call.requestDate, end: plan.finalAt, ttl: call.expiresAt, segments, marks };
}

/** The same for a message listed by GET /__admin/sms/messages. */
export function messageStory(message) {
  const plan = message.plan;
  const segments = [{ from: message.requestDate, to: plan.checkedAt, kind: "queued", label: "waiting to be checked" }];
  const marks = [];
  if (HANDED_OVER.has(plan.outcome)) {
    marks.push({ at: plan.checkedAt, kind: "outcome", label: "CHECK_OK: handed to the operator, charged" });
    segments.push({ from: plan.checkedAt, to: plan.finalAt, kind: "ring", label: "with the operator" });
  }
  marks.push({ at: plan.finalAt, kind: "final", label: `${plan.outcome}: price ${plan.price.toFixed(2)}` });
  return { start: message.requestDate, end: plan.finalAt, ttl: null, segments, marks };
}

/**
 * x of a moment on a line `width` wide. When the time-to-live lies far beyond the plan's end,
 * the line is broken: the plan gets most of the width, the rest is squeezed before the TTL.
 * Returns {x, broken}.
 */
/** The story as a list in time order; at one moment, what ends (a mark) before what starts. */
export function storySteps(story) {
  return [
    ...story.segments.map((segment) => ({ at: segment.from, rank: 1, label: segment.label, lasts: segment.to - segment.from })),
    ...story.marks.map((mark) => ({ at: mark.at, rank: 0, label: mark.label, lasts: null })),
  ]
    .sort((a, b) => a.at - b.at || a.rank - b.rank)
    .map(({ at, label, lasts }) => ({ at, label, lasts }));
}

export function scaleFor(story, now, width) {
  const start = story.start;
  const planEnd = Math.max(story.end, start + 1);
  const last = Math.max(planEnd, story.ttl || planEnd);
  const broken = story.ttl !== null && story.ttl - planEnd > (planEnd - start) * 0.5;
  const edge = width * 0.96;
  const linear = (t, from, to, left, right) => left + ((t - from) / Math.max(to - from, 1)) * (right - left);
  const x = (t) => {
    if (t <= start) return 0;
    if (!broken) return t >= last ? (t === last ? edge * 0.97 : edge) : linear(t, start, last, 0, edge * 0.97);
    if (t <= planEnd) return linear(t, start, planEnd, 0, width * 0.78);
    if (t <= story.ttl) return linear(t, planEnd, story.ttl, width * 0.84, width * 0.93);
    return edge;
  };
  return { x, broken, breakAt: broken ? [width * 0.79, width * 0.83] : null, nowX: x(now) };
}
