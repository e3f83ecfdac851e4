// Building the page's elements. Text from the API only ever goes in as text (textContent or a
// text node): nothing here parses markup.

export const SVG_NS = "http://www.w3.org/2000/svg";

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

/** An HTML element: attributes (`text`, `dataset`, `onclick`...) and children. */
export function el(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element, same arguments. */
export function svg(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Set a node's text only when it changed (a poll a second must not disturb a selection). */
export function setText(node, text) {
  const value = text === undefined || text === null ? "" : String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function byTestId(testid, within = document) {
  return within.querySelector(`[data-testid="${testid}"]`);
}

/**
 * Make `container`'s children the rows of `items`, in order, keyed by `keyOf`: an existing
 * row is kept (focus, an open <details>) and passed to `update`; a new one is made by `build`.
 */
export function syncRows(container, items, keyOf, build, update) {
  const existing = new Map();
  for (const row of container.children) existing.set(row.dataset.key, row);
  let cursor = container.firstElementChild;
  const kept = new Set();
  for (const item of items) {
    const key = String(keyOf(item));
    let row = existing.get(key);
    if (row === undefined) {
      row = build(item);
      row.dataset.key = key;
    }
    if (update) update(row, item);
    kept.add(row);
    if (row === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(row, cursor);
  }
  for (const row of [...container.children]) if (!kept.has(row)) row.remove();
}

/** The form's fields as an object of trimmed strings (checkboxes as booleans). */
export function formValues(form) {
  const values = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    values[field.name] = field.type === "checkbox" ? field.checked : field.value.trim();
  }
  return values;
}
