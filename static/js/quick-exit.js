// "Leave this site", made quicker and safer. Without JavaScript it is a plain
// link to a neutral site. With it:
// - pressing Shift three times, or Escape twice, leaves too (a phone has no
//   Escape key: the button itself stays in view, see site.css);
// - every field of the page is emptied first, and the form pages this tab went
//   through are left behind: the history goes back to the first of them and that
//   entry is replaced by the neutral site, so Back never shows a form page;
// - a form page restored from the back-forward cache is emptied at once.
(function () {
  var link = document.querySelector(".quick-exit");
  if (!link) return;
  var KEY = "intake-leaving";
  var DEPTH = "intake-form-depth";
  var form = document.getElementById("help-form");

  function store() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // storage blocked (a sandboxed frame, a privacy setting)
    }
  }

  function clearFields() {
    var fields = document.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = false;
        field.defaultChecked = false;
      } else if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) field.options[j].defaultSelected = false;
        field.selectedIndex = -1;
      } else if (field.type !== "submit" && field.type !== "button") {
        field.value = "";
        field.defaultValue = "";
      }
    }
  }

  // In a partner's frame the link targets _top and points at our own /embed/leave
  // (a fixed redirect to the neutral site): leave the whole host page. When the
  // frame may not navigate the host page (WordPress's sandbox, or any sandbox
  // without top navigation), frame-height.js asks WordPress's host script to
  // follow the link; failing that, the page says how to leave. The neutral site
  // is never loaded inside the frame.
  var framed = link.target === "_top" && window.top !== window;
  function stuck() {
    var help = document.getElementById("quick-exit-help");
    var main = document.getElementById("main");
    if (main) main.style.display = "none";
    if (help) {
      help.hidden = false;
      help.focus();
    }
  }

  // How many form pages this tab went through before this one (kept in the
  // history entry itself, so Back and Forward keep it right).
  function depth() {
    var state = window.history.state;
    return state && typeof state[DEPTH] === "number" ? state[DEPTH] : 0;
  }

  function leave(event) {
    if (event) event.preventDefault();
    clearFields();
    if (framed) {
      try {
        window.top.location.replace(link.href);
      } catch (error) {
        document.dispatchEvent(new CustomEvent("intake:leave", { detail: link.href, cancelable: true }));
      }
      // Still here a moment later: nothing could take the host page away.
      window.setTimeout(stuck, 2000);
      return;
    }
    var steps = depth();
    var storage = store();
    if (steps > 0 && storage) {
      // Back to the first form page, which replaces itself on arrival (below).
      storage.setItem(KEY, link.href + " " + Date.now());
      window.history.go(-steps);
      // If the history could not go back, leave from here.
      window.setTimeout(function () {
        window.location.replace(link.href);
      }, 1500);
      return;
    }
    window.location.replace(link.href);
  }

  // Arriving (or restored) while leaving: replace this entry with the neutral site.
  function leavingNow() {
    var storage = store();
    var value = storage && storage.getItem(KEY);
    if (!value) return false;
    storage.removeItem(KEY);
    var parts = value.split(" ");
    if (Date.now() - Number(parts[1]) > 10000) return false;
    clearFields();
    window.location.replace(parts[0]);
    return true;
  }

  if (leavingNow()) return;
  var storage = store();
  if (storage) {
    // A page reached by posting a form page (a step, or the confirmation after
    // the last) counts one deeper than that page; a fresh form page is the first.
    var from = storage.getItem(DEPTH);
    var known = window.history.state && DEPTH in window.history.state;
    if ((form || from !== null) && !known) {
      var state = {};
      state[DEPTH] = from === null ? 0 : Number(from) + 1;
      window.history.replaceState(state, "");
    }
    storage.removeItem(DEPTH);
  }
  if (form && storage) {
    form.addEventListener("submit", function () {
      storage.setItem(DEPTH, String(depth()));
    });
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !leavingNow() && form) clearFields();
  });

  link.addEventListener("click", leave);
  var lastEscape = 0;
  var shifts = [];
  document.addEventListener("keydown", function (event) {
    var now = Date.now();
    if (event.key === "Escape") {
      if (now - lastEscape < 1000) leave();
      lastEscape = now;
    } else if (event.key === "Shift" && !event.repeat) {
      // Three presses of Shift within a second and a half (as GOV.UK's exit).
      shifts = shifts.filter(function (t) { return now - t < 1500; });
      shifts.push(now);
      if (shifts.length >= 3) leave();
    } else {
      shifts = [];
    }
  });
})();
