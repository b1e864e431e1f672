// Single-key shortcuts for staff pages. Each shortcut is a link on the page
// with a data-key attribute (the page lists them), so without JavaScript the
// links still work. A key does nothing while someone types in a field, or
// with Ctrl, Alt or Meta held: those keys belong to the browser and to typing.
(function () {
  var help = document.querySelectorAll(".shortcut-help");
  for (var i = 0; i < help.length; i++) help[i].hidden = false;

  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");
  }

  // A link to a section of this page: go there and put the focus on the first
  // field of its form, ready to type (the section's heading when it has none).
  function openSection(link) {
    var target = document.getElementById(link.hash.slice(1));
    if (!target) return false;
    var section = target.closest("section") || target;
    var field = section.querySelector(
      "form:not(.inline-form) select, form:not(.inline-form) input:not([type=hidden]), form:not(.inline-form) textarea"
    );
    history.replaceState(null, "", link.hash);
    target.scrollIntoView();
    if (field) {
      field.focus();
    } else {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
    return true;
  }

  // The queue: j and k move between the cases of the table (o or Enter opens).
  function moveInQueue(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("table.queue th[scope=row] a"));
    if (!links.length) return false;
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? 0 : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (!/^[a-z]$/.test(key)) return;
    var handled = false;
    var link = document.querySelector('[data-key="' + key + '"]');
    if (link && link.hash && link.pathname === location.pathname) {
      handled = openSection(link);
    } else if (link) {
      link.click();
      handled = true;
    } else if (key === "j" || key === "k") {
      handled = moveInQueue(key === "j" ? 1 : -1);
    }
    if (handled) event.preventDefault();
  });
})();
