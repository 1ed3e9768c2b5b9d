// Runs after Wagtail's userbar.js in every preview the frontend renders (api/userbar.py serves
// it, with the audit's findGenericLinks and the helpers it uses declared alongside).
function setUpHeadlessUserbar(userbar, linkTextCheckId) {
  // The audit's generic link text rule as an axe check, run on each link: Wagtail's settings are
  // JSON, so a check's code comes from here and its word list from options.genericTexts.
  userbar.registerCheck(
    linkTextCheckId,
    (link, options) => findGenericLinks(options.genericTexts, [link]).length === 0,
  );
  // Wagtail hides the userbar in previews, whose checks the editor reads in its Checks panel.
  // A preview opened in a tab of its own has no panel beside it, so it shows the userbar.
  if (window.top === window) {
    userbar.shadowRoot.querySelector("aside").hidden = false;
  }
}
