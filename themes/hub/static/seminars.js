// Podium seminars: optional progressive enhancement. Pages are complete without it.
// 1. Where the reader's time zone differs from a talk's, add the time in the reader's zone.
// 2. Re-split "Upcoming" and "Past" using the reader's clock, so a page built days ago is
//    still right: talks that have ended move to the top of the past list.
// 3. Filter the listing by series in place (the links still lead to each series' page).
(function () {
  "use strict";
  var readerZone;
  try { readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }

  function localText(start, end) {
    var day = { weekday: "short", day: "numeric", month: "short" };
    var time = { hour: "numeric", minute: "2-digit" };
    var s = new Date(start), e = new Date(end);
    var text = s.toLocaleDateString(undefined, day) + ", " + s.toLocaleTimeString(undefined, time) +
      " – " + e.toLocaleTimeString(undefined, Object.assign({ timeZoneName: "short" }, time));
    return text;
  }

  document.querySelectorAll("time.when[data-start]").forEach(function (t) {
    if (t.hasAttribute("data-all-day") || t.dataset.zone === readerZone) return;
    var note = document.createElement("span");
    note.className = "reader-time";
    note.textContent = " (your time: " + localText(t.dataset.start, t.dataset.end) + ")";
    t.insertAdjacentElement("afterend", note);
  });

  filterInPlace();

  var upcoming = document.getElementById("upcoming-talks");
  var pastSection = document.querySelector(".seminars .past");
  if (!upcoming || !pastSection) return;
  var now = Date.now();
  var ended = Array.prototype.filter.call(upcoming.children, function (li) {
    return Date.parse(li.dataset.end) <= now;
  });
  if (!ended.length) return;
  var list = document.createElement("ol");
  list.className = "talks";
  var heading = document.createElement("h3");
  heading.textContent = "Recently ended";
  ended.reverse().forEach(function (li) { list.appendChild(li); });
  var title = pastSection.querySelector("h2");
  title.insertAdjacentElement("afterend", list);
  title.insertAdjacentElement("afterend", heading);
  if (!upcoming.children.length) {
    var empty = document.createElement("p");
    empty.className = "muted empty";
    empty.textContent = "No upcoming talks right now.";
    upcoming.replaceWith(empty);
  }

  function filterInPlace() {
    var nav = document.querySelector(".series-filter");
    var root = document.querySelector(".seminars");
    if (!nav || !root) return;
    var links = nav.querySelectorAll("ul a");
    // Only a page that lists every series can be filtered in place; on a series' page the
    // links lead to the other series' pages.
    if (!links.length || links[0].getAttribute("aria-current") !== "page") return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    nav.appendChild(status);
    links.forEach(function (a, i) {
      a.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        // Talks name their series by its listing's URL; on an archive page the links lead
        // to that year's page, so they carry the listing's URL in data-series.
        var series = a.dataset.series || a.getAttribute("href");
        event.preventDefault();
        links.forEach(function (l) { l.removeAttribute("aria-current"); });
        a.setAttribute("aria-current", "page");
        var shown = 0;
        root.querySelectorAll("li.talk").forEach(function (li) {
          var keep = i === 0 || li.dataset.series === series;
          li.hidden = !keep;
          if (keep) shown += 1;
        });
        root.querySelectorAll(".year").forEach(function (y) {
          y.hidden = !y.querySelector("li.talk:not([hidden])");
        });
        status.textContent = shown + " talks shown: " + a.textContent;
      });
    });
  }
})();
