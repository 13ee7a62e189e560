// Small progressive enhancements; every page works without JavaScript.
// A submitted form disables its buttons so a double click cannot send a change twice.
document.addEventListener('submit', function (event) {
  var buttons = event.target.querySelectorAll('button[type=submit]');
  setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
});
