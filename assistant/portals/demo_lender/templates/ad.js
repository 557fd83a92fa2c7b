{% from "portal/popup.js" import schedule %}
function showAd() {
  var mask = document.createElement('div');
  mask.className = '{{ s.ad_mask }}';
  mask.innerHTML = '<div class="{{ s.ad_card }}"><span class="{{ s.ad_badge }}">新人专享</span>'
    + '<div class="{{ s.ad_title }}">限时福利：新用户专享 30 天免息券</div>'
    + '<button type="button" class="{{ s.ad_cta }}" onclick="go(\'/borrow\')">立即领取</button></div>'
    + '<span class="{{ s.ad_close }}" role="button" aria-label="关闭广告">×</span>';
  mask.querySelector('.{{ s.ad_close }}').addEventListener('click', function () { mask.remove(); });
  document.body.appendChild(mask);
}
{{ schedule("showAd", popup) }}
