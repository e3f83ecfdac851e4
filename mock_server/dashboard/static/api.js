// Every call the page makes goes through here: the documented /__admin JSON routes, with the
// admin token (kept in this tab's sessionStorage) as a bearer token when one is known.

const ADMIN = "/__admin";
const TOKEN_KEY = "bitel-mock.admin-token";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** 401: the control plane wants the admin token (or another one). */
export class TokenNeeded extends ApiError {}

export function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function keepAdminToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** "?a=1&b=x" from the entries whose value is not empty. */
export function query(params) {
  const kept = Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== "");
  return kept.length ? "?" + new URLSearchParams(kept.map(([k, v]) => [k, String(v)])).toString() : "";
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = adminToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: "no-store", credentials: "same-origin", redirect: "error" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(ADMIN + path, init);
  } catch {
    throw new ApiError(0, "Unreachable", "the emulator does not answer");
  }
  const text = await response.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (response.ok) return payload;
  const code = (payload && payload.error) || `HTTP ${response.status}`;
  const message = (payload && payload.message) || text.slice(0, 200) || code;
  if (response.status === 401) throw new TokenNeeded(401, code, message);
  throw new ApiError(response.status, code, `${code}: ${message}`);
}
