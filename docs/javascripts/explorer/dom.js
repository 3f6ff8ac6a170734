// Two small DOM helpers shared by the widget's pieces.

// el("p", {"class": "x"}, "text") -> <p class="x">text</p>
export function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

// Replace the text of the element `selector` finds inside g, if there is one.
export function setText(g, selector, text) {
  const t = g && g.querySelector(selector);
  if (t) t.textContent = text;
}
