// Like axe: the whole element when short, else its opening tag.
function snippetOf(el) {
  const html = el.outerHTML;
  if (html.length <= 250) return html;
  const openingTag = html.slice(0, html.indexOf(">") + 1);
  return openingTag.length <= 250 ? openingTag : openingTag.slice(0, 249) + "…";
}
