// Registered to run before any script of each new document: counts fetch/XHR calls in flight
// and notes when the last one ended, so waitForSettled can mean "no network for a moment", not
// just the load event.
function trackNetwork() {
  if (window.__a11yPending !== undefined) return;
  window.__a11yPending = 0;
  const settle = () => {
    window.__a11yPending -= 1;
    window.__a11yLastSettled = performance.now();
  };
  if (window.fetch) {
    const originalFetch = window.fetch;
    window.fetch = function (...args) {
      window.__a11yPending += 1;
      return originalFetch.apply(this, args).finally(settle);
    };
  }
  const originalSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    window.__a11yPending += 1;
    this.addEventListener("loadend", settle, { once: true });
    return originalSend.apply(this, args);
  };
}
