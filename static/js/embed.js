/* Embed script for partner sites: turns our call-to-action link into a framed form
   when the visitor clicks it. Nothing is fetched from us before that click; no
   cookie or storage; nothing about the host page is sent (the frame URL is the
   link's own: partner key and language only, and no referrer). The frame resizes
   from height messages, accepted only from our origin and from that frame. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.addEventListener) return;
  var ours = new URL(script.src).origin;
  var MIN = 200, MAX = 4000, INITIAL = 600;
  var PATH = /^(\/[a-z]{2}(-[a-z]+)?)?\/embed\/(help|cta)$/;
  var frames = [];

  function embeddable(link) {
    if (!link || !link.href) return false;
    var url = new URL(link.href, document.baseURI);
    return url.origin === ours && PATH.test(url.pathname);
  }

  function frameFor(link) {
    var iframe = document.createElement("iframe");
    iframe.src = link.href;
    iframe.title = link.textContent.replace(/\s+/g, " ").trim();
    iframe.referrerPolicy = "no-referrer";
    iframe.setAttribute("referrerpolicy", "no-referrer");
    iframe.loading = "eager";
    /* Protects the host page from the frame: no pop-ups that keep an opener, no
       top navigation without a click (the quick exit is a click). Same-origin
       stays, so the frame's posts carry our Origin and the form accepts them. */
    iframe.setAttribute("sandbox", "allow-forms allow-scripts allow-same-origin allow-popups " +
      "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation");
    iframe.className = "intake-frame";
    iframe.height = String(INITIAL);
    iframe.style.border = "0";
    iframe.style.width = "100%";
    iframe.style.maxWidth = "100%";
    iframe.style.display = "block";
    return iframe;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!embeddable(link)) return;
    event.preventDefault();
    var iframe = frameFor(link);
    frames.push(iframe);
    link.parentNode.replaceChild(iframe, link);
    iframe.focus();
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== ours) return;
    var data = event.data;
    if (!data || data.type !== "intake:height") return;
    var height = Math.round(Number(data.height));
    if (!isFinite(height)) return;
    height = Math.min(MAX, Math.max(MIN, height));
    for (var i = 0; i < frames.length; i++) {
      if (event.source === frames[i].contentWindow) frames[i].height = String(height);
    }
  });
})();
