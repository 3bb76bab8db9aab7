// The member directory, enhanced: category tabs and a group filter that work in place.
// Without this script every category is listed in turn and the group links open
// /groups/GROUP/, so nothing depends on it.
(function () {
  "use strict";
  var dir = document.querySelector("[data-directory]");
  if (!dir) return;
  var panels = Array.prototype.slice.call(dir.querySelectorAll(".panel"));
  var tabs = Array.prototype.slice.call(dir.querySelectorAll(".tabs a"));
  var groups = Array.prototype.slice.call(dir.querySelectorAll("[data-group]"));
  var status = dir.querySelector(".filter-status");
  var active = null;

  function show(id) {
    panels.forEach(function (p) { p.hidden = p.id !== id; });
    tabs.forEach(function (t) {
      if (t.getAttribute("href") === "#" + id) t.setAttribute("aria-current", "true");
      else t.removeAttribute("aria-current");
    });
  }

  function filter(slug, name) {
    active = active === slug ? null : slug;
    groups.forEach(function (g) {
      g.setAttribute("aria-pressed", String(g.getAttribute("data-group") === active));
    });
    dir.querySelectorAll(".person").forEach(function (p) {
      var mine = " " + p.getAttribute("data-groups") + " ";
      p.hidden = active !== null && mine.indexOf(" " + active + " ") < 0;
    });
    if (status) {
      status.textContent = active ? "Showing members of " + name + ". Select it again to show everyone." : "";
    }
  }

  tabs.forEach(function (t) {
    t.addEventListener("click", function (e) {
      e.preventDefault();
      var id = t.getAttribute("href").slice(1);
      show(id);
      history.replaceState(null, "", "#" + id);
    });
  });
  groups.forEach(function (g) {
    g.setAttribute("role", "button");
    g.setAttribute("aria-pressed", "false");
    g.addEventListener("click", function (e) {
      e.preventDefault();
      filter(g.getAttribute("data-group"), g.firstChild.textContent.trim());
    });
  });
  dir.classList.add("js");
  var wanted = location.hash.slice(1);
  var start = panels.some(function (p) { return p.id === wanted; }) ? wanted : panels[0] && panels[0].id;
  if (start) show(start);
})();
