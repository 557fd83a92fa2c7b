{% from "portal/popup.js" import schedule %}
function showPacket() {
  var mask = document.createElement('div');
  mask.className = '{{ s.packet_mask }}';
  mask.innerHTML = '<div class="{{ s.packet }}"><div class="{{ s.packet_title }}">新人专享红包</div>'
    + '<div class="{{ s.packet_amount }}">¥88</div><div>满 500 可用 · 7 天内有效</div>'
    + '<button type="button" class="{{ s.btn }}" onclick="toast(\'领取成功\')">立即领取</button></div>'
    + '<div class="{{ s.packet_close }}" role="button" aria-label="关闭红包">×</div>';
  mask.querySelector('.{{ s.packet_close }}').addEventListener('click', function () { mask.remove(); });
  document.body.appendChild(mask);
}
{{ schedule("showPacket", popup) }}
