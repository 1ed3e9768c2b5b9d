// axe.run, timed inside the browser. With options.resultTypes only those groups travel back:
// the rest would just be serialised. { missing: true } when the document has no axe.
function runAxe(context, options) {
  if (typeof window.axe !== "object") return Promise.resolve({ missing: true });
  options = options || {};
  const started = performance.now();
  return window.axe.run(context || document, options).then((results) => {
    const elapsed_ms = performance.now() - started;
    if (options.resultTypes) {
      for (const group of ["violations", "incomplete", "passes", "inapplicable"]) {
        if (!options.resultTypes.includes(group)) delete results[group];
      }
    }
    return { results, elapsed_ms };
  });
}
