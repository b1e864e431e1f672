/* Runs in our framed pages: tells the host page how tall to make the frame. Only
   a height is sent, and only to the partner's registered origins (given by the
   server), never to "*".
   The host page must learn nothing of what the person answers, so the height
   carries nothing of it: a page reached by a GET (no answers in it: the call to
   action, the empty form, the empty status form) is measured ONCE, when it has
   loaded, and rounded up to a coarse step; a page that answers a POST (the form
   shown again, the check, the confirmation, the status) asks the host to keep
   the frame as it is ("data-keep-height"), whatever it holds, and scrolls inside
   where it is longer. Nothing is sent again as the person answers or the
   content changes; a host that says it is ready to listen (its script may
   arrive after our page) hears the same message again.
   Two protocols: ours ({type: "intake:height"}, read by embed.js), and
   WordPress's (the "#?secret=" its sandboxed oEmbed frame adds to our URL). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.parent === window || !window.postMessage) return;
  var allowed = (script.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  var ancestors = window.location.ancestorOrigins;
  var parentOrigin = ancestors && ancestors.length ? ancestors[0] : null;
  var targets = allowed.filter(function (origin) {
    return parentOrigin === null || origin === parentOrigin;
  });
  if (!targets.length) return;
  var match = /^#\?secret=([A-Za-z0-9]{1,64})$/.exec(window.location.hash);
  var secret = match ? match[1] : null;
  var STEP = 400;
  var keep = script.hasAttribute("data-keep-height");
  var height = null, first = true;

  function post(message) {
    targets.forEach(function (origin) {
      window.parent.postMessage(message, origin);
    });
  }

  /* "page" marks this document's first message: embed.js's sign that the frame
     holds our page (until then it keeps its link), and its cue to bring the
     frame's top into view after each step. */
  function report() {
    if (keep) {
      post({ type: "intake:height", keep: true, page: first });
    } else {
      if (height === null) {
        height = Math.ceil(document.documentElement.getBoundingClientRect().height / STEP) * STEP;
      }
      post({ type: "intake:height", height: height, page: first });
      if (secret) post({ message: "height", value: height, secret: secret });
    }
    first = false;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || targets.indexOf(event.origin) === -1 || !data) return;
    if (document.readyState !== "complete") return; /* the load event reports */
    if (data.type === "intake:ready" || (secret && data.message === "ready" && data.secret === secret)) {
      report();
    }
  });
  if (document.readyState === "complete") report();
  else window.addEventListener("load", report);

  if (secret) {
    /* WordPress's sandbox blocks new tabs and top navigation from the frame; its
       host script follows a "link" message to our own host instead. Links that
       stay in the frame (the language switcher) keep the secret, so the next
       page still speaks to the host. */
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.defaultPrevented) return;
      if (!link.target || link.target === "_self") {
        if (link.host === window.location.host) link.hash = "?secret=" + secret;
        return;
      }
      event.preventDefault();
      post({ message: "link", value: link.href, secret: secret });
    });
    /* Such links open in this same tab: drop the "new tab" wording (and the
       footer's "Continue in a new tab", which the card's button already does). */
    Array.prototype.forEach.call(document.querySelectorAll(".new-tab-note, .new-tab"), function (el) {
      (el.classList.contains("new-tab") ? el.parentNode : el).remove();
    });
    /* quick-exit.js could not leave the host page itself: ask the host to. */
    document.addEventListener("intake:leave", function (event) {
      event.preventDefault();
      post({ message: "link", value: event.detail, secret: secret });
    });
  }
})();
