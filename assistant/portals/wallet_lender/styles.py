"""CSS of 随心花, a Chinese consumer-credit web site (PC layout), written with
`§name` class markers (see markup.apply_skin). The closure service inside the
help centre's iframe has its own, smaller sheet."""

BASE_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 14px; color: #262a33;
  background: #f6f6f9; min-width: 1100px; }
a { color: #ff5c35; text-decoration: none; }
.§header { height: 64px; background: #fff; border-bottom: 1px solid #eee; position: sticky; top: 0; z-index: 20; }
.§header-inner { max-width: 1180px; height: 100%; margin: 0 auto; padding: 0 20px; display: flex; align-items: center;
  gap: 40px; }
.§logo { display: flex; align-items: center; gap: 8px; font-size: 20px; font-weight: 700; color: #262a33; }
.§logo-mark { width: 32px; height: 32px; border-radius: 10px; background: linear-gradient(135deg, #ff9a3d, #ff4d4f);
  color: #fff; display: inline-flex; align-items: center; justify-content: center; font-size: 17px; }
.§logo small { font-size: 12px; font-weight: 400; color: #999; margin-left: 4px; }
.§nav { display: flex; gap: 30px; flex: 1; }
.§nav a { color: #555; font-size: 15px; line-height: 62px; border-bottom: 2px solid transparent; }
.§nav a.§current { color: #ff5c35; border-bottom-color: #ff5c35; font-weight: 600; }
.§user { color: #666; font-size: 13px; display: flex; gap: 14px; align-items: center; }
.§user span[onclick] { cursor: pointer; color: #999; }
.§main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 60px; }
.§card { background: #fff; border-radius: 12px; padding: 22px 24px; box-shadow: 0 2px 12px rgba(0, 0, 0, .04); }
.§row { display: grid; grid-template-columns: 2fr 1fr; gap: 20px; margin-bottom: 20px; }
.§quota { background: linear-gradient(120deg, #ff8a3d 0%, #ff4d4f 100%); color: #fff; border-radius: 14px;
  padding: 28px 32px; min-height: 180px; }
.§quota-label { opacity: .85; }
.§quota-value { font-size: 40px; font-weight: 700; margin: 10px 0 6px; letter-spacing: 1px; }
.§quota .§btn { background: #fff; color: #ff4d4f; margin-top: 14px; }
.§btn { display: inline-flex; align-items: center; justify-content: center; height: 40px; padding: 0 24px; border: 0;
  border-radius: 20px; font: inherit; font-size: 15px; cursor: pointer; }
.§btn-primary { background: linear-gradient(90deg, #ff8a3d, #ff4d4f); color: #fff; }
.§btn-primary:disabled { opacity: .45; cursor: not-allowed; }
.§btn-ghost { background: #fff; color: #ff5c35; border: 1px solid #ffb199; }
.§muted { color: #999; font-size: 13px; }
.§title { font-size: 18px; font-weight: 600; margin: 0 0 16px; }
.§skeleton { background: linear-gradient(90deg, #f0f0f3 25%, #fafafc 50%, #f0f0f3 75%); background-size: 400% 100%;
  animation: §shimmer 1.2s infinite; border-radius: 8px; }
@keyframes §shimmer { 0% { background-position: 100% 0; } 100% { background-position: 0 0; } }
.§grid4 { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; text-align: center; }
.§grid4 div { padding: 14px 0; border-radius: 10px; background: #fff7f3; color: #ff5c35; cursor: pointer; }
.§footer { text-align: center; color: #aaa; font-size: 12px; padding: 30px 0; }
.§toast { position: fixed; left: 50%; top: 40%; transform: translate(-50%, -50%); z-index: 1000; display: none;
  padding: 10px 20px; border-radius: 8px; background: rgba(0, 0, 0, .75); color: #fff; }
.§toast.§show { display: block; }
.§form-error { color: #f5222d; font-size: 13px; min-height: 20px; margin-top: 10px; }
/* login */
.§login-wrap { min-height: 100vh; display: flex; align-items: center; justify-content: center; gap: 80px;
  background: linear-gradient(135deg, #fff1ea 0%, #ffe4dc 45%, #fff 100%); }
.§promo h1 { font-size: 40px; margin: 18px 0 12px; color: #262a33; }
.§promo p { color: #666; font-size: 17px; margin: 0 0 8px; }
.§promo .§big { font-size: 64px; color: #ff4d4f; font-weight: 800; }
.§login-card { width: 400px; background: #fff; border-radius: 16px; padding: 30px 34px 26px;
  box-shadow: 0 16px 40px rgba(255, 92, 53, .12); }
.§tabs { display: flex; gap: 28px; border-bottom: 1px solid #f0f0f0; margin-bottom: 22px; }
.§tabs span { padding: 0 0 10px; font-size: 16px; color: #999; cursor: pointer; }
.§tabs span.§on { color: #262a33; font-weight: 600; border-bottom: 2px solid #ff5c35; }
.§input { display: block; width: 100%; height: 44px; border: 1px solid #e5e5ea; border-radius: 8px; padding: 0 14px;
  font: inherit; font-size: 15px; margin: 6px 0 14px; }
.§input:focus { outline: none; border-color: #ff8a3d; }
.§field-label { font-size: 13px; color: #666; }
.§agree { display: flex; gap: 6px; align-items: flex-start; font-size: 12px; color: #888; margin: 4px 0 18px;
  line-height: 1.6; }
.§btn-block { width: 100%; height: 46px; border-radius: 23px; font-size: 16px; }
/* red-packet pop-up */
.§packet-mask { position: fixed; inset: 0; z-index: 500; background: rgba(0, 0, 0, .6); display: flex;
  flex-direction: column; align-items: center; justify-content: center; }
.§packet { width: 300px; height: 380px; border-radius: 20px; background: linear-gradient(180deg, #ff5b4a, #e8262b);
  color: #ffe7b0; text-align: center; padding: 48px 24px 0; box-shadow: 0 16px 40px rgba(0, 0, 0, .35); }
.§packet-title { font-size: 18px; }
.§packet-amount { font-size: 60px; font-weight: 800; color: #fff3d1; margin: 22px 0 6px; }
.§packet .§btn { background: #ffe08a; color: #d4251f; font-weight: 700; margin-top: 34px; width: 200px; }
.§packet-close { margin-top: 20px; width: 36px; height: 36px; border-radius: 50%; border: 2px solid #fff; color: #fff;
  font-size: 24px; line-height: 30px; text-align: center; cursor: pointer; }
/* help centre */
.§help-hero { background: linear-gradient(120deg, #ff8a3d, #ff4d4f); color: #fff; padding: 34px 0 40px; }
.§help-hero h1 { margin: 0 0 16px; font-size: 26px; }
.§search { width: 560px; height: 44px; border: 0; border-radius: 22px; padding: 0 20px; font: inherit; }
.§help-grid { display: grid; grid-template-columns: 320px 1fr; gap: 20px; align-items: start; }
.§topic { border-bottom: 1px solid #f2f2f2; }
.§topic:last-child { border-bottom: 0; }
.§topic-head { width: 100%; display: flex; justify-content: space-between; align-items: center; padding: 14px 4px;
  background: none; border: 0; font: inherit; font-size: 15px; color: #262a33; cursor: pointer; }
.§topic-head::after { content: "+"; color: #bbb; font-size: 18px; }
.§topic-head[aria-expanded=true]::after { content: "−"; }
.§topic ul { list-style: none; padding: 0 4px 12px; margin: 0; }
.§topic li { padding: 7px 0; }
.§topic li a { color: #555; }
.§article h1 { font-size: 22px; margin: 0 0 8px; }
.§article ol { line-height: 2; color: #444; padding-left: 20px; }
.§crumb { color: #999; font-size: 13px; margin: 0 0 14px; }
.§crumb a { color: #999; }
.§service-frame { width: 100%; height: 720px; border: 0; border-radius: 12px; background: #fff; display: block; }
.§progress-kv { line-height: 2.2; font-size: 15px; }
"""

SERVICE_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 14px; color: #262a33; }
.§svc { padding: 24px 32px 32px; }
.§svc h2 { font-size: 19px; margin: 0 0 6px; }
.§steps { display: flex; margin: 0 0 22px; padding: 0; list-style: none; counter-reset: s; }
.§steps li { flex: 1; text-align: center; color: #bbb; font-size: 13px; position: relative; }
.§steps li::before { counter-increment: s; content: counter(s); display: block; width: 24px; height: 24px;
  margin: 0 auto 6px; border-radius: 50%; background: #eee; color: #fff; line-height: 24px; }
.§steps li.§on { color: #ff5c35; }
.§steps li.§on::before { background: #ff5c35; }
.§panel[hidden] { display: none; }
.§agreement { height: 300px; overflow-y: auto; border: 1px solid #f0f0f0; border-radius: 10px; padding: 6px 18px;
  line-height: 1.8; color: #555; background: #fcfcfd; }
.§agreement h3 { text-align: center; color: #262a33; }
.§agree { display: flex; gap: 6px; align-items: center; margin: 14px 0; }
.§hint { color: #999; font-size: 12px; margin: 8px 0 0; }
.§btn { display: inline-flex; align-items: center; justify-content: center; height: 42px; padding: 0 30px; border: 0;
  border-radius: 21px; font: inherit; font-size: 15px; cursor: pointer; }
.§btn-primary { background: linear-gradient(90deg, #ff8a3d, #ff4d4f); color: #fff; }
.§btn-primary:disabled { opacity: .4; cursor: not-allowed; }
.§btn-ghost { background: #fff; color: #ff5c35; border: 1px solid #ffb199; height: 34px; padding: 0 14px;
  font-size: 13px; }
.§btn-ghost:disabled { color: #bbb; border-color: #e5e5e5; cursor: not-allowed; }
.§btn-wide { width: 320px; height: 46px; border-radius: 23px; font-size: 16px; }
.§center { text-align: center; }
.§ok { background: #f0faf3; color: #1f8a4c; border-radius: 10px; padding: 16px; margin: 0 0 18px; }
.§blocked { background: #fff1f0; color: #cf1322; border-radius: 10px; padding: 16px; margin: 0 0 18px; line-height: 1.7; }
.§spinner { width: 34px; height: 34px; margin: 30px auto 10px; border-radius: 50%; border: 3px solid #ffe2d6;
  border-top-color: #ff5c35; animation: §spin .8s linear infinite; }
@keyframes §spin { to { transform: rotate(360deg); } }
.§retain { text-align: center; padding: 10px 0; }
.§retain-title { font-size: 20px; font-weight: 600; margin: 8px 0 12px; }
.§retain ul { display: inline-block; text-align: left; color: #666; line-height: 2; margin: 0 0 22px; }
.§weak { display: inline-block; margin-top: 16px; color: #bbb; font-size: 12px; }
.§captcha { width: 320px; margin: 0 auto; border: 1px solid #eee; border-radius: 10px; padding: 14px; }
.§captcha-title { font-weight: 600; margin-bottom: 10px; }
.§puzzle { position: relative; width: 290px; height: 150px; border-radius: 6px; overflow: hidden;
  background: radial-gradient(circle at 30% 40%, #ffd6a8 0 18%, transparent 19%),
    radial-gradient(circle at 75% 70%, #9ad0ff 0 22%, transparent 23%),
    linear-gradient(135deg, #6a8dff 0%, #b17cff 50%, #ff8fa3 100%); }
.§gap, .§piece { position: absolute; width: 44px; height: 44px; border-radius: 8px; }
.§gap { background: rgba(0, 0, 0, .35); box-shadow: inset 0 0 6px rgba(255, 255, 255, .6); }
.§piece { left: 0; background: linear-gradient(135deg, #f2f4ff, #c9b8ff); box-shadow: 0 0 8px rgba(0, 0, 0, .4); }
.§slider { position: relative; height: 40px; margin-top: 12px; background: #f4f5f7; border-radius: 20px;
  border: 1px solid #e8e8ec; user-select: none; }
.§slider-tip { position: absolute; inset: 0; text-align: center; line-height: 38px; color: #999; font-size: 13px; }
.§slider-handle { position: absolute; left: 0; top: 0; width: 46px; height: 38px; border-radius: 19px; background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .25); text-align: center; line-height: 38px; color: #ff5c35; cursor: grab;
  touch-action: none; }
.§captcha-state { min-height: 22px; margin-top: 8px; font-size: 13px; text-align: center; }
.§passed { color: #1f8a4c; font-weight: 600; }
.§failed-captcha { color: #cf1322; }
.§sms { width: 420px; margin: 18px auto 0; }
.§sms[hidden] { display: none; }
.§code-row { display: flex; gap: 10px; align-items: center; margin: 12px 0; }
.§code-row input { flex: 1; height: 42px; border: 1px solid #e5e5ea; border-radius: 8px; padding: 0 12px; font: inherit;
  font-size: 16px; letter-spacing: 3px; }
.§form-error { color: #f5222d; font-size: 13px; min-height: 20px; margin-top: 8px; }
.§warn { color: #cf1322; font-weight: 600; font-size: 16px; }
.§result-icon { width: 64px; height: 64px; margin: 10px auto 12px; border-radius: 50%; background: #1f8a4c; color: #fff;
  font-size: 34px; line-height: 64px; text-align: center; }
.§app-no { font-weight: 700; color: #262a33; }
"""
