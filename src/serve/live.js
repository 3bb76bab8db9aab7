// Podium's live reload, injected only by `podium serve`: reloads the page when it changed,
// swaps stylesheets in place, and shows build errors over the page until they are fixed.
(function () {
  "use strict";
  var overlay = null;
  function here() {
    var p = decodeURIComponent(location.pathname);
    return p.endsWith("/") ? p + "index.html" : p;
  }
  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "podium-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.92);color:#fff;padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var h = document.createElement("h2");
    h.textContent = "Podium could not build the site";
    h.style.cssText = "color:#ffb4a8;font:600 18px system-ui,sans-serif;margin:0 0 1rem";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.whiteSpace = "pre-wrap";
    var p = document.createElement("p");
    p.textContent = "The last good version stays served. This message goes away when the file is fixed.";
    overlay.append(h, pre, p);
  }
  function clearError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function swapStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("podium", Date.now());
      link.href = url.toString();
    });
  }
  var source = new EventSource("/__podium/events");
  source.onmessage = function (e) {
    var msg = JSON.parse(e.data);
    if (msg.kind === "error") { showError(msg.message); return; }
    var hadError = overlay !== null;
    clearError();
    if (msg.kind === "css") { swapStyles(); return; }
    if (msg.kind === "reload" && (hadError || msg.all || msg.paths.indexOf(here()) >= 0)) {
      location.reload();
    }
  };
})();
