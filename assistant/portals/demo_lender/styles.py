"""CSS of 示例贷, written with `§name` class markers (see markup.apply_skin)."""

BASE_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #f4f5f7; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #1f2329; font-size: 15px;
  -webkit-tap-highlight-color: transparent; }
a { color: inherit; }
.§app { max-width: 430px; min-height: 100vh; margin: 0 auto; background: #f4f5f7; position: relative; }
.§app.§with-tabs { padding-bottom: 72px; }
.§navbar { position: sticky; top: 0; z-index: 10; height: 46px; background: #fff; display: flex;
  align-items: center; justify-content: center; border-bottom: 1px solid #eef0f3; }
.§nav-title { margin: 0; font-size: 17px; font-weight: 600; }
.§back { position: absolute; left: 0; top: 0; width: 46px; height: 46px; display: flex; align-items: center;
  justify-content: center; font-size: 30px; color: #333; text-decoration: none; line-height: 1; }
.§hero { background: linear-gradient(160deg, #4d8dff 0%, #1f5af6 70%); color: #fff; padding: 14px 16px 64px; }
.§hero.§compact { padding-bottom: 28px; }
.§hero .§nav-title { text-align: center; color: #fff; }
.§section { padding: 0 12px; }
.§card { background: #fff; border-radius: 12px; padding: 18px 16px; margin: 12px 0;
  box-shadow: 0 2px 10px rgba(31, 90, 246, .06); }
.§hero:not(.§compact) + .§section > :first-child { margin-top: -50px; }
.§group { background: #fff; margin: 10px 0; border-radius: 12px; overflow: hidden; }
.§cell { display: flex; align-items: center; justify-content: space-between; min-height: 54px; padding: 0 16px;
  border-bottom: 1px solid #f2f3f5; cursor: pointer; text-decoration: none; color: #1f2329; }
.§cell:last-child { border-bottom: 0; }
.§cell.§link::after { content: "›"; color: #c0c4cc; font-size: 22px; margin-left: 8px; }
.§cell-value { color: #8a8f99; margin-left: auto; }
.§muted { color: #8a8f99; font-size: 13px; }
.§primary, .§btn { display: block; width: 100%; height: 46px; border: 0; border-radius: 23px; font-size: 16px;
  font-family: inherit; cursor: pointer; }
.§primary { background: linear-gradient(90deg, #4d8dff, #1f5af6); color: #fff;
  box-shadow: 0 6px 14px rgba(31, 90, 246, .28); }
.§primary.§big { height: 52px; border-radius: 26px; font-size: 18px; font-weight: 600; }
.§btn-plain { background: #fff; color: #f5483b; }
.§danger { background: #f5483b; color: #fff; box-shadow: 0 6px 14px rgba(245, 72, 59, .25); }
.§primary:disabled, .§btn:disabled, .§danger:disabled { opacity: .45; box-shadow: none; cursor: default; }
.§weak { display: inline-block; color: #b0b3b8; font-size: 12px; text-decoration: none; }
.§center { text-align: center; }
.§actions { padding: 24px 16px; }
.§actions > * + * { margin-top: 14px; }
.§form-error { color: #f5483b; font-size: 13px; min-height: 20px; margin: 8px 2px 0; }
.§toast { position: fixed; left: 50%; top: 42%; transform: translate(-50%, -50%); z-index: 1000; display: none;
  max-width: 72%; padding: 10px 18px; border-radius: 8px; background: rgba(0, 0, 0, .78); color: #fff;
  font-size: 14px; text-align: center; }
.§toast.§show { display: block; }
.§tabbar { position: fixed; bottom: 0; left: 50%; transform: translateX(-50%); width: 100%; max-width: 430px;
  height: 58px; z-index: 20; background: #fff; border-top: 1px solid #eef0f3; display: flex; }
.§tab { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center;
  gap: 2px; font-size: 11px; color: #8a8f99; cursor: pointer; }
.§tab svg { width: 24px; height: 24px; }
.§tab.§active { color: #1f5af6; }
.§ad-mask { position: fixed; inset: 0; z-index: 500; background: rgba(0, 0, 0, .62); display: flex;
  flex-direction: column; align-items: center; justify-content: center; }
.§ad-card { width: 280px; border-radius: 18px; padding: 30px 22px 24px; text-align: center; color: #fff;
  background: linear-gradient(180deg, #ffa24d 0%, #ff5b1f 100%); box-shadow: 0 12px 30px rgba(0, 0, 0, .3); }
.§ad-badge { display: inline-block; font-size: 12px; padding: 2px 10px; border-radius: 10px;
  background: rgba(255, 255, 255, .25); }
.§ad-title { font-size: 20px; font-weight: 700; line-height: 1.45; margin: 14px 0 18px; }
.§ad-cta { width: 100%; height: 42px; border: 0; border-radius: 21px; background: #fff3d6; color: #ff5b1f;
  font-size: 16px; font-weight: 600; font-family: inherit; }
.§ad-close { margin-top: 22px; width: 34px; height: 34px; border: 1.5px solid #fff; border-radius: 50%;
  color: #fff; font-size: 24px; line-height: 30px; text-align: center; cursor: pointer; }
.§skeleton { background: linear-gradient(90deg, #eceef1 25%, #f6f7f9 50%, #eceef1 75%);
  background-size: 400% 100%; animation: §shimmer 1.2s infinite; border-radius: 8px; }
@keyframes §shimmer { 0% { background-position: 100% 0; } 100% { background-position: 0 0; } }
.§spinner { width: 36px; height: 36px; margin: 0 auto 12px; border-radius: 50%; border: 3px solid #dfe6ff;
  border-top-color: #1f5af6; animation: §spin .8s linear infinite; }
@keyframes §spin { to { transform: rotate(360deg); } }
"""

PAGE_CSS = """
.§login { padding: 0 24px 32px; }
.§brand { text-align: center; padding: 56px 0 28px; }
.§logo { width: 64px; height: 64px; margin: 0 auto 12px; border-radius: 18px; color: #fff; font-size: 32px;
  font-weight: 700; line-height: 64px; background: linear-gradient(135deg, #4d8dff, #1f5af6);
  box-shadow: 0 8px 18px rgba(31, 90, 246, .3); }
.§brand-name { font-size: 24px; font-weight: 700; letter-spacing: 2px; }
.§slogan { margin-top: 6px; color: #8a8f99; font-size: 13px; }
.§field { background: #fff; border-radius: 12px; padding: 10px 16px; margin-bottom: 12px; }
.§field label { display: block; font-size: 12px; color: #8a8f99; }
.§field input { width: 100%; border: 0; outline: 0; font-size: 17px; padding: 6px 0 2px; font-family: inherit;
  background: transparent; }
.§consent { display: flex; align-items: flex-start; gap: 6px; font-size: 12px; color: #8a8f99; margin: 4px 0 18px;
  line-height: 1.5; }
.§consent input { margin: 2px 0 0; }
.§doc-name { color: #1f5af6; }
.§login-links { display: flex; justify-content: space-between; margin-top: 18px; font-size: 13px; color: #5a6070; }
.§disclaimer { text-align: center; color: #b0b3b8; font-size: 11px; padding: 24px 0 12px; }
.§banner-title { font-size: 28px; font-weight: 700; color: #1f2329; margin: 6px 0 4px; }
.§notice { background: #fff7e8; color: #d46b08; border-radius: 10px; padding: 10px 12px; font-size: 13px;
  margin: 12px 0 0; line-height: 1.5; }
.§services { display: grid; grid-template-columns: repeat(4, 1fr); text-align: center; font-size: 12px;
  color: #5a6070; gap: 8px; }
.§service-icon { width: 40px; height: 40px; margin: 0 auto 6px; border-radius: 12px; background: #eef3ff;
  color: #1f5af6; line-height: 40px; font-size: 18px; font-weight: 600; }
.§user { display: flex; align-items: center; gap: 14px; padding: 18px 4px 0; }
.§avatar { width: 56px; height: 56px; border-radius: 50%; background: rgba(255, 255, 255, .25);
  border: 2px solid rgba(255, 255, 255, .6); }
.§user-phone { font-size: 20px; font-weight: 600; }
.§tag { display: inline-block; margin-top: 4px; font-size: 11px; padding: 1px 8px; border-radius: 9px;
  background: rgba(255, 255, 255, .22); }
.§retain { text-align: center; padding: 28px 16px 8px; }
.§retain-icon { width: 72px; height: 72px; margin: 0 auto 16px; border-radius: 50%; background: #fff1e6;
  color: #ff7a1a; font-size: 40px; line-height: 72px; }
.§retain-title { font-size: 18px; font-weight: 600; line-height: 1.6; margin: 0 0 16px; }
.§lose { text-align: left; background: #fafbfc; border-radius: 10px; padding: 12px 16px; color: #5a6070;
  font-size: 14px; line-height: 1.9; }
.§agreement { height: 52vh; max-height: 420px; overflow-y: auto; background: #fff; border-radius: 12px;
  padding: 4px 16px; font-size: 13px; line-height: 1.75; color: #5a6070; border: 1px solid #eef0f3; }
.§agreement h3 { text-align: center; font-size: 16px; color: #1f2329; }
.§agree-row { display: flex; align-items: center; gap: 6px; margin: 14px 2px; font-size: 13px; }
.§check-ok { color: #1a9b53; font-size: 18px; font-weight: 600; text-align: center; margin: 8px 0 12px; }
.§check-blocked { color: #f5483b; font-size: 15px; line-height: 1.7; background: #fff2f0; border-radius: 10px;
  padding: 14px; }
.§check-list { list-style: none; padding: 0; margin: 0 0 20px; color: #5a6070; font-size: 14px; line-height: 2; }
.§option { display: flex; align-items: center; gap: 10px; padding: 12px 0; border-bottom: 1px solid #f2f3f5; }
.§option:last-of-type { border-bottom: 0; }
.§q { font-weight: 600; margin: 4px 0 6px; }
.§select, .§textarea { width: 100%; border: 1px solid #e3e5e8; border-radius: 8px; padding: 10px;
  font-size: 15px; font-family: inherit; background: #fff; }
.§textarea { height: 90px; resize: none; }
.§code-row { display: flex; align-items: center; gap: 10px; border-bottom: 1px solid #eef0f3; padding: 8px 0; }
.§code-row input { flex: 1; min-width: 0; border: 0; outline: 0; font-size: 17px; font-family: inherit;
  letter-spacing: 2px; }
.§send-btn { flex: none; border: 1px solid #1f5af6; background: #fff; color: #1f5af6; border-radius: 16px;
  height: 32px; padding: 0 12px; font-size: 13px; font-family: inherit; }
.§send-btn:disabled { border-color: #d0d3d9; color: #b0b3b8; }
.§warning { color: #f5483b; font-weight: 600; font-size: 16px; line-height: 1.6; }
.§result-icon { width: 72px; height: 72px; margin: 12px auto 14px; border-radius: 50%; background: #1a9b53;
  color: #fff; font-size: 40px; line-height: 72px; text-align: center; }
.§result-title { text-align: center; font-size: 20px; margin: 0 0 16px; }
.§kv { margin: 8px 0; color: #5a6070; }
.§app-no { color: #1f2329; font-weight: 600; }
.§empty { text-align: center; color: #8a8f99; padding: 48px 0; }
"""
