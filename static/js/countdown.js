/* Live countdowns: every <time data-countdown datetime="...UTC..."> shows the time left (or how
   long overdue) and carries its urgency band, updated every second without reloading the page.
   The words come from the page (#countdown-words), so they are translated with the rest of it;
   incidents/clocks/display.py renders the same text and band on the server. Keep them in step. */
(function () {
  "use strict";
  var BANDS = ["overdue", "within-12h", "within-24h", "later"];
  var words = document.getElementById("countdown-words");
  if (!words) { return; }
  var w = words.dataset;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function text(seconds) {
    var days, hours, minutes;
    if (seconds <= 0) {
      var late = -seconds;
      days = Math.floor(late / 86400);
      hours = Math.floor((late % 86400) / 3600);
      minutes = Math.floor((late % 3600) / 60);
      var parts = [];
      if (days) { parts.push(days + " " + w.days); }
      if (days || hours) { parts.push(hours + " " + w.hours); }
      parts.push(minutes + " " + w.minutes);
      return w.overdue.replace("%(time)s", parts.join(" "));
    }
    days = Math.floor(seconds / 86400);
    hours = Math.floor((seconds % 86400) / 3600);
    minutes = Math.floor((seconds % 3600) / 60);
    var clock = pad(hours) + ":" + pad(minutes) + ":" + pad(seconds % 60);
    if (days) { clock = days + " " + w.days + " " + clock; }
    return w.left.replace("%(time)s", clock);
  }

  function band(seconds) {
    if (seconds <= 0) { return "overdue"; }
    if (seconds < 12 * 3600) { return "within-12h"; }
    if (seconds < 24 * 3600) { return "within-24h"; }
    return "later";
  }

  function mark(element, code) {
    BANDS.forEach(function (other) { element.classList.remove("urgency-" + other); });
    element.classList.add("urgency-" + code);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (element) {
      var due = Date.parse(element.getAttribute("datetime"));
      if (isNaN(due)) { return; }
      var seconds = Math.floor((due - now) / 1000);
      var shown = text(seconds);
      if (element.textContent !== shown) { element.textContent = shown; }
      var code = band(seconds);
      mark(element, code);
      var scope = element.closest("[data-urgency-scope]");
      if (scope) { mark(scope, code); }
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();
