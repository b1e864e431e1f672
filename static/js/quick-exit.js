// "Leave this site", made quicker: location.replace keeps this site out of the
// back button, and pressing Escape twice leaves too. Without JavaScript the
// control is still a plain link.
(function () {
  var link = document.querySelector(".quick-exit");
  if (!link) return;
  // In a partner's frame the link targets _top: leave the whole host page.
  var away = link.target === "_top" ? window.top : window;
  function leave(event) {
    if (event) event.preventDefault();
    try {
      away.location.replace(link.href);
    } catch (error) {
      window.location.replace(link.href);
    }
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
