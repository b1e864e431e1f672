/* Runs in our framed pages: tells the host page how tall the content is, so the
   frame fits without a scrollbar. Only the height is sent, and only to the
   partner's registered origins (given by the server), never to "*".
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
  var last = 0;

  function post(message) {
    targets.forEach(function (origin) {
      window.parent.postMessage(message, origin);
    });
  }

  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    post({ type: "intake:height", height: height });
    if (secret) post({ message: "height", value: height, secret: secret });
  }

  if (window.ResizeObserver) {
    new ResizeObserver(report).observe(document.documentElement);
  } else {
    window.addEventListener("resize", report);
  }
  window.addEventListener("load", report);
  report();

  if (secret) {
    /* WordPress's sandbox blocks new tabs and top navigation from the frame; its
       host script follows a "link" message to our own host instead. */
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link) return;
      event.preventDefault();
      post({ message: "link", value: link.href, secret: secret });
    });
  }
})();
