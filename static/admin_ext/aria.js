"use strict";
// Django's SelectFilter2.js (the two-box many-to-many picker) names its filter icons with aria-label on a bare
// <span>, which ARIA does not allow (axe: aria-prohibited-attr); as an image the name is allowed and read. The
// picker is built on the page's load event, after this file runs: the icons are named as they appear.
{
  const ICON = ".search-label-icon[aria-label]:not([role])";
  const name = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches(ICON)) node.setAttribute("role", "img");
    node.querySelectorAll(ICON).forEach((icon) => icon.setAttribute("role", "img"));
  };
  new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach(name))).observe(
    document.documentElement,
    { childList: true, subtree: true },
  );
}
