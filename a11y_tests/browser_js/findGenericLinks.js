// link-text-generic: links whose accessible name, normalised as is_generic_link_text does in
// Python (lower case, only letters and single spaces), is one of genericTexts. Checks every link
// of the document, or only `links` (the CMS's preview checker asks about one link at a time).
// Uses selectorOf and snippetOf.
function findGenericLinks(genericTexts, links = document.querySelectorAll("a[href]")) {
  const generic = new Set(genericTexts);
  const nameOf = (link) => {
    const labelledBy = (link.getAttribute("aria-labelledby") || "")
      .split(/\s+/)
      .map((id) => document.getElementById(id))
      .filter(Boolean)
      .map((el) => el.textContent)
      .join(" ");
    const images = [...link.querySelectorAll("img[alt]")].map((img) => img.alt).join(" ");
    return labelledBy || link.getAttribute("aria-label") || link.textContent + " " + images;
  };
  const normalise = (text) =>
    text
      .toLowerCase()
      .replace(/[^a-z ]+/g, " ")
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  return [...links]
    .map((link) => ({ link, name: normalise(nameOf(link)) }))
    .filter(({ name }) => generic.has(name))
    .map(({ link, name }) => ({ target: selectorOf(link), html: snippetOf(link), name }));
}
