// Earshot UI niceties. Everything works without this file; it only adds:
// "/" focuses the search box, a live check of the query syntax while
// typing, and local times on <time> elements. It never inserts fetched text
// as HTML: only textContent is written.
(function () {
  "use strict";

  var q = document.getElementById("q");
  var errBox = document.getElementById("q-error");

  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || !q || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    e.preventDefault();
    q.focus();
    q.select();
  });

  if (q && errBox && window.fetch) {
    var timer = 0, seq = 0;
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 350);
    });
    var check = function () {
      var mine = ++seq;
      var value = q.value.trim();
      if (value === "") { show(""); return; }
      fetch("/api/search?size=1&facets=none&q=" + encodeURIComponent(value), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (res) {
        if (res.status !== 400) return null;
        return res.json();
      }).then(function (body) {
        if (mine !== seq) return;
        var e = body && body.error;
        show(e && e.code === "bad_query" ? e.message : "");
      }).catch(function () { /* offline or signed out: the server checks on submit */ });
    };
    var show = function (msg) {
      errBox.textContent = msg;
      errBox.hidden = msg === "";
      if (msg) q.setAttribute("aria-invalid", "true"); else q.removeAttribute("aria-invalid");
    };
  }

  // Local, relative times; the server renders UTC.
  var fmt = window.Intl && Intl.DateTimeFormat ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }) : null;
  var rel = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var times = document.querySelectorAll("time[datetime]");
  for (var i = 0; i < times.length; i++) {
    var el = times[i], d = new Date(el.getAttribute("datetime"));
    if (isNaN(d.getTime())) continue;
    el.title = el.textContent;
    var secs = (d.getTime() - Date.now()) / 1000, text = fmt ? fmt.format(d) : el.textContent;
    if (rel) {
      for (var u = 0; u < units.length; u++) {
        if (Math.abs(secs) >= units[u][1] || u === units.length - 1) {
          text = rel.format(Math.round(secs / units[u][1]), units[u][0]);
          break;
        }
      }
    }
    el.textContent = text;
  }
})();
