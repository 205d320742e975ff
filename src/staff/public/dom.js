// Small DOM helpers for the staff console. Text always goes in as text nodes (never as HTML),
// so patient messages, names and server reasons can contain anything.

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`staff console: #${id} is missing from the page`);
  return element;
}

/**
 * @typedef {{
 *   className?: string,
 *   text?: string,
 *   attrs?: Record<string, string | number | boolean | null | undefined>,
 *   dataset?: Record<string, string>,
 * }} ElementProps
 */

/**
 * Creates an element. `attrs` values of false/null/undefined are left out, true sets an empty
 * attribute. Children that are strings become text nodes.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {ElementProps} [props]
 * @param {Array<Node | string | null | undefined | false>} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, children = []) {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  Object.assign(element.dataset, props.dataset ?? {});
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Shows `text` in an inline message element, or hides it when text is empty. */
export function setMessage(element, text) {
  element.textContent = text ?? '';
  element.hidden = !text;
}

/** Turns a button into a busy one for the duration of `work`, so it cannot be pressed twice. */
export async function whileBusy(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.removeAttribute('aria-busy');
    button.disabled = false;
  }
}
