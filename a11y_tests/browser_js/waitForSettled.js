// Navigation returns before the page has loaded (at DOMContentLoaded over WebDriver, sooner over
// DevTools), so this is what waits for it: document complete and no fetch/XHR in flight or ended
// in the last QUIET_MS (a response settles before the page's own callbacks have put its content
// in the document). Then it reads the HTTP status, or sees that the browser showed its own error
// page (the chrome-error: scheme). It looks again every POLL_MS and, so as not to wait out a poll
// on every page, right after the load event's task (the page's own load handlers have run then).
function waitForSettled(timeoutMs) {
  const QUIET_MS = 100;
  const POLL_MS = 5;
  return new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs;
    const quiet = () =>
      !window.__a11yLastSettled || performance.now() - window.__a11yLastSettled >= QUIET_MS;
    const settled = () =>
      document.readyState === "complete" && !(window.__a11yPending > 0) && quiet();
    let timer = null;
    let answered = false;
    const afterLoad = () => setTimeout(look, 0);
    function look() {
      clearTimeout(timer);
      if (answered) return;
      if (settled() || performance.now() > deadline) {
        answered = true;
        window.removeEventListener("load", afterLoad);
        const navigation = performance.getEntriesByType("navigation")[0];
        resolve({
          settled: settled(),
          status: navigation ? navigation.responseStatus : null,
          errorPage: location.protocol === "chrome-error:",
          url: location.href,
        });
      } else {
        timer = setTimeout(look, POLL_MS);
      }
    }
    window.addEventListener("load", afterLoad);
    look();
  });
}
