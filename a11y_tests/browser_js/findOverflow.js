// reflow-320: the outermost elements that stick out of the viewport and are not inside their
// own horizontal scroller (a scrolling table wrapper is allowed by WCAG 1.4.10): those are what
// an author must fix. Uses selectorOf and snippetOf.
function findOverflow(maxTargets) {
  const root = document.documentElement;
  const viewportWidth = root.clientWidth;
  const scrollWidth = root.scrollWidth;
  if (scrollWidth <= viewportWidth) return { viewportWidth, scrollWidth, offenders: [] };

  const scrollsOrClips = (el) => !["visible", ""].includes(getComputedStyle(el).overflowX);
  const insideOwnScroller = (el) => {
    const stop = [document.body, root, null];
    for (let up = el.parentElement; !stop.includes(up); up = up.parentElement) {
      if (scrollsOrClips(up)) return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > viewportWidth + 0.5 || box.left < -0.5);
  };
  const offenders = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && !insideOwnScroller(el))
    .filter((el) => el.parentElement === document.body || !sticksOut(el.parentElement))
    .map((el) => ({ el, box: el.getBoundingClientRect() }))
    .sort((a, b) => b.box.width - a.box.width)
    .slice(0, maxTargets)
    .map(({ el, box }) => ({
      target: selectorOf(el),
      html: snippetOf(el),
      width: Math.round(box.width),
      left: Math.round(box.left),
      right: Math.round(box.right),
    }));
  return { viewportWidth, scrollWidth, offenders };
}
