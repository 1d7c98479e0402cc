// Quick exit: leave without adding the page left to the history (Back then
// does not bring it back). The link itself goes through /sortie, which
// forgets the result page on the server; without JavaScript it still does.
document.addEventListener('click', function (event) {
  var link = event.target.closest && event.target.closest('#sortie-rapide');
  if (!link || window.top !== window.self) return;
  event.preventDefault();
  window.location.replace(link.href);
});
