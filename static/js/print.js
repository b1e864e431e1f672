// The confirmation's "Print this page" button: shown only when JavaScript can
// print; without it the page says to use the browser's own print or save.
(function () {
  var button = document.querySelector(".print-page");
  if (!button || typeof window.print !== "function") return;
  button.hidden = false;
  var hint = document.querySelector(".print-hint");
  if (hint) hint.hidden = true;
  button.addEventListener("click", function () {
    window.print();
  });
})();
