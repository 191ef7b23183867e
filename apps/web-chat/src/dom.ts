export interface ElementProps {
  className?: string;
  id?: string;
  /** Attributes set with setAttribute (aria-*, role, type...). */
  attrs?: Record<string, string>;
  dataset?: Record<string, string>;
}

/**
 * Makes an element; string children become text nodes, so user data never becomes markup
 * (nothing here or in the views uses innerHTML).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.id) element.id = props.id;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const [name, value] of Object.entries(props.dataset ?? {})) element.dataset[name] = value;
  element.append(...children);
  return element;
}

/** The element with id, which the page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element as T;
}
