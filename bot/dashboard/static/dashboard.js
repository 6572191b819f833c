// Aduan dashboard: small page helpers (no inline scripts; the CSP allows only files of this site).
"use strict";
(function () {
  var button = document.getElementById("fullscreen");
  if (button && document.documentElement.requestFullscreen) {
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else { document.documentElement.requestFullscreen(); }
    });
  } else if (button) {
    button.hidden = true;
  }
})();
