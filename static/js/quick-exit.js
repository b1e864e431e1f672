// "Leave this site", made quicker: location.replace keeps this site out of the
// back button, and pressing Escape twice leaves too. Without JavaScript the
// control is still a plain link.
(function () {
  var link = document.querySelector(".quick-exit");
  if (!link) return;
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
  function leave(event) {
    if (event) event.preventDefault();
    if (!framed) {
      window.location.replace(link.href);
      return;
    }
    try {
      window.top.location.replace(link.href);
    } catch (error) {
      document.dispatchEvent(new CustomEvent("intake:leave", { detail: link.href, cancelable: true }));
    }
    // Still here a moment later: nothing could take the host page away.
    window.setTimeout(stuck, 2000);
  }
  link.addEventListener("click", leave);
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - last < 1000) leave();
    last = now;
  });
})();
