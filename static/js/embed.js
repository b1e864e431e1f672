/* Embed script for partner sites: turns our call-to-action link into a framed form
   when the visitor clicks it. Nothing is fetched from us before that click; no
   cookie or storage; nothing about the host page is sent (the frame URL is the
   link's own: partner key and language only, and no referrer). The frame resizes
   from height messages, accepted only from our origin and from that frame.
   The link stays until the frame has loaded our page and said so; a frame that
   is refused (site not registered, partner inactive) or silent is removed and
   the link opens in a new tab: a dead box never replaces a working link. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.addEventListener) return;
  var ours = new URL(script.src).origin;
  /* MAX only guards against nonsense: the form is 5,300 px on a 390 px phone.
     A page holding answers asks to keep the frame's height ("keep"), so the
     height says nothing of them; KEPT is used if the frame has none yet. */
  var MIN = 200, MAX = 20000, KEPT = 1600, AFTER_LOAD = 1500, GIVE_UP = 10000;
  var PATH = /^(\/[a-z]{2}(-[a-z]+)?)?\/embed\/(help|cta)$/;
  var frames = [];

  function ourPage(href) {
    var url = new URL(href, document.baseURI);
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
    /* Laid out at full width but unseen (and out of the tab order) until our page
       answers; then it replaces the link. */
    iframe.height = "0";
    iframe.style.border = "0";
    iframe.style.width = "100%";
    iframe.style.maxWidth = "100%";
    iframe.style.display = "block";
    iframe.style.visibility = "hidden";
    iframe.style.scrollMarginTop = "1rem";
    return iframe;
  }

  function show(entry) {
    entry.shown = true;
    window.clearTimeout(entry.timer);
    entry.iframe.style.visibility = "";
    if (entry.link && entry.link.parentNode) entry.link.parentNode.removeChild(entry.link);
    entry.iframe.focus();
  }

  /* Refused or silent: the frame goes, the link stays and now opens a new tab
     (at once, while the click still counts as the visitor's). */
  function fallBack(entry) {
    if (entry.shown) return;
    frames.splice(frames.indexOf(entry), 1);
    if (entry.iframe.parentNode) entry.iframe.parentNode.removeChild(entry.iframe);
    entry.link.removeAttribute("aria-busy");
    entry.link.target = "_blank";
    entry.link.rel = "noopener";
    if (!navigator.userActivation || navigator.userActivation.isActive) {
      window.open(entry.link.href, "_blank", "noopener");
    }
  }

  /* The visitor's view follows the frame: after each step (and on the
     confirmation, with its reference) its top is brought into sight. */
  function bringIntoView(iframe) {
    var top = iframe.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) iframe.scrollIntoView({ block: "start" });
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target === "_blank" || !ourPage(link.href)) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy")) return; /* its frame is on its way */
    link.setAttribute("aria-busy", "true");
    var entry = { iframe: frameFor(link), link: link, shown: false, pages: 0 };
    frames.push(entry);
    entry.iframe.addEventListener("load", function () {
      if (!entry.shown) entry.timer = window.setTimeout(function () { fallBack(entry); }, AFTER_LOAD);
    });
    entry.timer = window.setTimeout(function () { fallBack(entry); }, GIVE_UP);
    link.parentNode.insertBefore(entry.iframe, link.nextSibling);
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== ours) return;
    var data = event.data;
    if (!data || data.type !== "intake:height") return;
    var height = data.keep === true ? null : Math.round(Number(data.height));
    if (height !== null && !isFinite(height)) return;
    if (height !== null) height = Math.min(MAX, Math.max(MIN, height));
    for (var i = 0; i < frames.length; i++) {
      var entry = frames[i];
      if (event.source !== entry.iframe.contentWindow) continue;
      if (height !== null) entry.iframe.height = String(height);
      else if (+entry.iframe.height < MIN) entry.iframe.height = String(KEPT);
      if (!data.page) continue;
      entry.pages += 1;
      if (!entry.shown) show(entry);
      if (entry.pages > 1) bringIntoView(entry.iframe);
    }
  });

  /* The frame-only snippet's card, framed before this script ran: it follows its
     content too, once it hears that we listen. */
  var existing = document.querySelectorAll("iframe.intake-frame");
  for (var i = 0; i < existing.length; i++) {
    if (!ourPage(existing[i].src)) continue;
    frames.push({ iframe: existing[i], link: null, shown: true, pages: 0 });
    existing[i].contentWindow.postMessage({ type: "intake:ready" }, ours);
  }
})();
