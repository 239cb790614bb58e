// ajio-sim QA console: progressive enhancement only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Pretty-print JSON bodies in the journal when they are JSON.
  document.querySelectorAll(".bodies pre").forEach(function (pre) {
    var text = pre.textContent.trim();
    if (!text || (text[0] !== "{" && text[0] !== "[")) return;
    try { pre.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* clipped or not JSON */ }
  });
});
