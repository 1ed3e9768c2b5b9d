// While a page's audit is queued or running, its accessibility view asks for the status every
// few seconds and says when it changes (a polite live region), with a link to the new result.
// It never reloads the page by itself: an editor reading or using a screen reader keeps their place.
(() => {
  const status = document.querySelector("[data-audit-status-url]");
  if (!status || status.dataset.auditPending !== "true") return;
  const label = status.querySelector("[data-audit-status-label]");
  const intervalMs = 3000;
  const giveUpAfterMs = 10 * 60 * 1000;
  const started = Date.now();

  async function check() {
    let answer;
    try {
      const response = await fetch(status.dataset.auditStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = await response.json();
    } catch {
      answer = null; // a blip in the connection: try again next time
    }
    if (answer) {
      label.textContent = answer.label + (answer.at ? `, ${answer.at}` : "");
      if (!answer.pending) {
        const link = document.createElement("a");
        link.href = window.location.href;
        link.textContent = "Show the new result";
        status.append(" ", link);
        return;
      }
    }
    if (Date.now() - started < giveUpAfterMs) window.setTimeout(check, intervalMs);
  }

  window.setTimeout(check, intervalMs);
})();
