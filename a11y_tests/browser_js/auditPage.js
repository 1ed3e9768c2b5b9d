// The one script the audit runs in each page: wait until settled, axe.run, then our own checks
// (ownChecks maps a rule id to its function, checkArgs the rule id to its arguments). An
// unexpected status or an unsettled page answers before axe runs. Uses waitForSettled and
// runAxe. The reply is documented, and read, in analyse.py (PageReply).
function auditPage(ownChecks, settleTimeoutMs, expectedStatus, context, options, checkArgs) {
  const failed = (stage) => (error) => ({
    stage,
    error: String((error && error.message) || error),
  });
  return waitForSettled(settleTimeoutMs)
    .then((load) => {
      if (!load.settled || load.errorPage || (load.status && load.status !== expectedStatus)) {
        return { load };
      }
      return runAxe(context, options).then((run) => {
        if (run.missing) return { load, missing: true };
        const own = {};
        for (const name in ownChecks) {
          try {
            own[name] = ownChecks[name](...checkArgs[name]);
          } catch (error) {
            return failed(name)(error);
          }
        }
        return { load, ...run, own };
      });
    })
    .catch(failed("axe.run"));
}
