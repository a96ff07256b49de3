/* The resident's intake page: "用我的位置" fills the hidden coordinates from the phone's
   position; without a position the address text routes the appeal. */
(function () {
  "use strict";

  var button = document.querySelector("[data-locate]");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var status = document.querySelector("[data-locate-status]");
    if (!navigator.geolocation) { status.textContent = "您的浏览器不支持定位，请填写地址。"; return; }
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      status.textContent = "已获取位置（±" + Math.round(pos.coords.accuracy) + " 米），也可再补充楼号。";
    }, function () { status.textContent = "定位失败，请填写地址。"; }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();
