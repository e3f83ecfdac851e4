// How times, durations and prices are written on the page.

/** ISO 8601 in UTC, to the second: 2023-11-14T22:13:20Z. */
export function iso(epoch) {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "2023-11-14 22:13:20", or "" for 0 / null (not yet). */
export function when(epoch) {
  return epoch ? iso(epoch).replace("T", " ").replace("Z", "") : "";
}

/** The Unix second an ISO text (or a plain number of seconds) names; NaN when neither. */
export function parseTime(text) {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(trimmed) ? trimmed : trimmed + "Z";
  const millis = Date.parse(zoned);
  return Number.isNaN(millis) ? NaN : Math.floor(millis / 1000);
}

export function duration(seconds) {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function price(value) {
  return typeof value === "number" ? value.toFixed(2) : "";
}
