// Punch button: when the organisation records location, ask the browser for it first.
// A refusal or a timeout still punches, without location.
(function () {
  "use strict";
  document.querySelectorAll("form.punch[data-location]").forEach(function (form) {
    var asked = false;
    form.addEventListener("submit", function (e) {
      if (asked || !navigator.geolocation) { return; }
      e.preventDefault();
      asked = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude;
        form.elements.lon.value = pos.coords.longitude;
        form.elements.accuracy.value = Math.round(pos.coords.accuracy);
        form.submit();
      }, function () { form.submit(); }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  });
})();
