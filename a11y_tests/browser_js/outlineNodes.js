// Outlines and numbers the failing nodes before the screenshot for the HTML report.
function outlineNodes(selectors) {
  selectors.forEach((selector, index) => {
    let element = null;
    try {
      element = document.querySelector(selector);
    } catch {
      return;
    }
    if (!element) return;
    element.style.setProperty("outline", "3px solid #d4351c", "important");
    element.style.setProperty("outline-offset", "2px", "important");
    element.setAttribute("data-a11y-audit-node", String(index + 1));
  });
}
