// The finder asks the browser for the phone's position and reloads with ?lat=&lng=; when
// the position is denied or unavailable, the street picker stays the way in.
(function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!button) return;
  button.addEventListener("click", function () {
    if (!navigator.geolocation) {
      status.textContent = "您的浏览器不支持定位，请选择所在街道。";
      return;
    }
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var url = button.dataset.url + "?lat=" + pos.coords.latitude.toFixed(6) +
          "&lng=" + pos.coords.longitude.toFixed(6);
        window.location.href = url;
      },
      function () {
        status.textContent = "未能获取位置（可能未允许定位），请选择所在街道。";
        document.getElementById("street").focus();
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
    );
  });
})();
