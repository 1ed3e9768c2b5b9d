// Navigation returns before the page has loaded (at DOMContentLoaded over WebDriver, sooner over
// DevTools), so this is what waits for it: document complete and no fetch/XHR in flight or ended
// in the last QUIET_MS (a response settles before the page's own callbacks have put its content
// in the document). Then it reads the HTTP status, or sees that the browser showed its own error
// page (the chrome-error: scheme).
function waitForSettled(timeoutMs) {
  const QUIET_MS = 100;
  return new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs;
    const quiet = () =>
      !window.__a11yLastSettled || performance.now() - window.__a11yLastSettled >= QUIET_MS;
    const settled = () =>
      document.readyState === "complete" && !(window.__a11yPending > 0) && quiet();
    (function poll() {
      if (settled() || performance.now() > deadline) {
        const navigation = performance.getEntriesByType("navigation")[0];
        resolve({
          settled: settled(),
          status: navigation ? navigation.responseStatus : null,
          errorPage: location.protocol === "chrome-error:",
          url: location.href,
        });
      } else {
        setTimeout(poll, 5);
      }
    })();
  });
}
