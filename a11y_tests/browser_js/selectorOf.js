// A CSS selector that finds exactly this element: the nearest unique id, else a child path.
function selectorOf(el) {
  const root = document.documentElement;
  const parts = [];
  for (let node = el; node && node !== root; node = node.parentElement) {
    if (node.id && document.querySelectorAll("#" + CSS.escape(node.id)).length === 1) {
      parts.unshift("#" + CSS.escape(node.id));
      return parts.join(" > ");
    }
    const siblings = node.parentElement ? [...node.parentElement.children] : [node];
    const sameTag = siblings.filter((s) => s.localName === node.localName);
    parts.unshift(
      sameTag.length > 1
        ? `${node.localName}:nth-child(${siblings.indexOf(node) + 1})`
        : node.localName,
    );
  }
  return ["html", ...parts].join(" > ");
}
