"""CSS of Northwind Credit, a desktop (~1280 px) site, written with `§name`
class markers (see markup.apply_skin)."""

CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; font-size: 15px;
  color: #1c2430; background: #f3f5f8; min-width: 1024px; }
a { color: #0b5cad; }
h1, h2, h3 { color: #0f1f3d; }
.§topbar { height: 64px; background: #0f1f3d; color: #fff; position: sticky; top: 0; z-index: 30; }
.§topbar-inner { max-width: 1200px; height: 100%; margin: 0 auto; padding: 0 24px; display: flex;
  align-items: center; gap: 36px; }
.§brand { display: flex; align-items: center; gap: 10px; font-size: 19px; font-weight: 600; color: #fff;
  text-decoration: none; letter-spacing: .2px; }
.§brand-mark { width: 30px; height: 30px; border-radius: 8px; background: linear-gradient(135deg, #37c7b2, #1b8fd6);
  display: inline-flex; align-items: center; justify-content: center; font-weight: 700; }
.§brand small { font-weight: 400; color: #9fb3d1; }
.§mainnav { display: flex; gap: 6px; flex: 1; }
.§mainnav a { color: #c9d6ea; text-decoration: none; padding: 8px 12px; border-radius: 6px; font-size: 14px; }
.§mainnav a:hover, .§mainnav a.§current { color: #fff; background: rgba(255, 255, 255, .09); }
.§account { position: relative; }
.§account-chip { display: flex; align-items: center; gap: 10px; padding: 6px 10px; border-radius: 8px;
  cursor: pointer; user-select: none; }
.§account-chip:hover { background: rgba(255, 255, 255, .09); }
.§initials { width: 32px; height: 32px; border-radius: 50%; background: #37c7b2; color: #0f1f3d;
  display: flex; align-items: center; justify-content: center; font-weight: 700; font-size: 13px; }
.§caret { font-size: 10px; color: #9fb3d1; }
.§menu { position: absolute; right: 0; top: 48px; width: 260px; background: #fff; color: #1c2430;
  border-radius: 10px; box-shadow: 0 12px 32px rgba(15, 31, 61, .22); padding: 8px 0; display: none; }
.§menu.§open { display: block; }
.§menu-head { padding: 10px 16px 12px; border-bottom: 1px solid #e7ebf1; margin-bottom: 6px; }
.§menu-head strong { display: block; }
.§menu-head span { color: #66758a; font-size: 13px; }
.§menu a { display: block; padding: 9px 16px; color: #1c2430; text-decoration: none; font-size: 14px; }
.§menu a:hover { background: #f1f4f9; }
.§page { max-width: 1200px; margin: 0 auto; padding: 32px 24px 64px; }
.§page h1 { font-size: 28px; margin: 0 0 6px; font-weight: 600; }
.§lead { color: #5b6b80; margin: 0 0 28px; }
.§grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 20px; }
.§card { background: #fff; border: 1px solid #e3e8ef; border-radius: 12px; padding: 22px 24px;
  box-shadow: 0 1px 2px rgba(15, 31, 61, .04); }
.§card h2 { font-size: 18px; margin: 0 0 14px; font-weight: 600; }
.§stat-label { color: #66758a; font-size: 13px; text-transform: uppercase; letter-spacing: .6px; }
.§stat { font-size: 30px; font-weight: 600; margin: 8px 0 4px; color: #0f1f3d; }
.§muted { color: #66758a; font-size: 13px; }
.§wide { grid-column: span 2; }
table.§activity { width: 100%; border-collapse: collapse; font-size: 14px; }
table.§activity th { text-align: left; color: #66758a; font-weight: 500; border-bottom: 1px solid #e3e8ef;
  padding: 8px 0; }
table.§activity td { padding: 10px 0; border-bottom: 1px solid #f0f2f6; }
.§amount { text-align: right; }
.§banner { background: #fff7e6; border: 1px solid #f5d38a; color: #7a5200; border-radius: 10px; padding: 14px 18px;
  margin: 0 0 24px; display: flex; justify-content: space-between; align-items: center; }
.§btn { display: inline-flex; align-items: center; justify-content: center; height: 40px; padding: 0 20px;
  border-radius: 8px; border: 1px solid transparent; font: inherit; font-size: 14px; font-weight: 600;
  cursor: pointer; text-decoration: none; }
.§btn-primary { background: #0b5cad; color: #fff; }
.§btn-primary:hover { background: #094c8f; }
.§btn-secondary { background: #fff; color: #1c2430; border-color: #c8d1dd; }
.§btn-danger { background: #c62828; color: #fff; }
.§btn-danger-outline { background: #fff; color: #c62828; border-color: #e4a5a5; }
.§btn:disabled { opacity: .45; cursor: not-allowed; }
.§btn-block { width: 100%; height: 46px; font-size: 15px; }
.§skeleton { background: linear-gradient(90deg, #eceff4 25%, #f6f8fb 50%, #eceff4 75%); background-size: 400% 100%;
  animation: §shimmer 1.2s infinite; border-radius: 6px; }
@keyframes §shimmer { 0% { background-position: 100% 0; } 100% { background-position: 0 0; } }
.§form-error { color: #c62828; font-size: 14px; min-height: 20px; margin: 10px 0 0; }
.§field { margin: 0 0 18px; }
.§field label, .§field legend { display: block; font-weight: 600; font-size: 14px; margin: 0 0 6px; }
.§field input[type=email], .§field input[type=password], .§field input[type=text], .§field select,
.§field textarea { width: 100%; height: 44px; border: 1px solid #c8d1dd; border-radius: 8px; padding: 0 12px;
  font: inherit; background: #fff; }
.§field textarea { height: 96px; padding: 10px 12px; resize: vertical; }
.§field input:focus, .§field select:focus, .§field textarea:focus { outline: 2px solid #8cb8e8; border-color: #0b5cad; }
.§hint { color: #66758a; font-size: 13px; margin: 6px 0 0; }
.§footer { text-align: center; color: #8795a8; font-size: 12px; padding: 24px 0 40px; }
/* sign-in */
.§auth { min-height: 100vh; display: grid; grid-template-columns: 1.1fr 1fr; }
.§auth-art { background: radial-gradient(circle at 20% 20%, #1b8fd6 0, transparent 45%),
  linear-gradient(160deg, #0f1f3d 0%, #13315f 100%); color: #fff; padding: 56px 64px; display: flex;
  flex-direction: column; justify-content: space-between; }
.§auth-art h2 { color: #fff; font-size: 38px; line-height: 1.2; font-weight: 600; max-width: 460px; }
.§auth-art p { color: #c9d6ea; max-width: 440px; line-height: 1.6; }
.§auth-panel { display: flex; align-items: center; justify-content: center; padding: 40px; }
.§auth-card { width: 420px; }
.§auth-card h1 { font-size: 26px; margin: 0 0 6px; }
.§row { display: flex; align-items: center; justify-content: space-between; margin: 4px 0 22px; font-size: 14px; }
.§code-row { display: flex; gap: 10px; }
.§code-row input { flex: 1; letter-spacing: 6px; font-size: 20px !important; }
.§notice { background: #eaf3fd; color: #0b4a8b; border-radius: 8px; padding: 10px 14px; font-size: 14px;
  margin: 0 0 18px; }
.§notice:empty { display: none; }
/* settings */
.§settings { display: grid; grid-template-columns: 240px 1fr; gap: 28px; align-items: start; }
.§sidenav { background: #fff; border: 1px solid #e3e8ef; border-radius: 12px; padding: 8px; }
.§sidenav a { display: block; padding: 10px 14px; border-radius: 8px; color: #1c2430; text-decoration: none;
  font-size: 14px; }
.§sidenav a.§current { background: #eaf1fb; color: #0b5cad; font-weight: 600; }
.§kv { display: grid; grid-template-columns: 220px 1fr; row-gap: 12px; font-size: 14px; }
.§kv dt { color: #66758a; }
.§kv dd { margin: 0; }
.§danger { border-color: #f0c2c2; }
.§danger-toggle { width: 100%; display: flex; justify-content: space-between; align-items: center; background: none;
  border: 0; padding: 0; font: inherit; font-size: 18px; font-weight: 600; color: #b3261e; cursor: pointer; }
.§danger-toggle::after { content: "▸"; font-size: 14px; transition: transform .15s; }
.§danger-toggle[aria-expanded=true]::after { transform: rotate(90deg); }
.§danger-body { margin-top: 18px; padding-top: 18px; border-top: 1px solid #f3dada; display: flex;
  justify-content: space-between; align-items: center; gap: 24px; }
.§danger-body h3 { margin: 0 0 4px; font-size: 15px; }
.§danger-body p { margin: 0; color: #5b6b80; font-size: 14px; max-width: 620px; }
.§toggle { width: 40px; height: 22px; border-radius: 11px; background: #0b5cad; position: relative; display: inline-block; }
.§toggle::after { content: ""; position: absolute; right: 3px; top: 3px; width: 16px; height: 16px; border-radius: 50%;
  background: #fff; }
/* closure wizard */
.§wizard { max-width: 760px; }
.§stepper { display: flex; gap: 0; margin: 0 0 24px; padding: 0; list-style: none; }
.§stepper li { flex: 1; padding: 10px 0; border-bottom: 3px solid #dfe5ee; color: #8795a8; font-size: 14px; }
.§stepper li.§on { border-color: #0b5cad; color: #0b5cad; font-weight: 600; }
.§panel[hidden] { display: none; }
.§ok-box { background: #eaf7ef; border: 1px solid #b5e0c3; color: #1c6b3a; border-radius: 10px; padding: 16px 18px;
  margin: 0 0 18px; }
.§blocked-box { background: #fdecec; border: 1px solid #f1b7b7; color: #9b1c1c; border-radius: 10px;
  padding: 16px 18px; margin: 0 0 18px; line-height: 1.55; }
.§checklist { margin: 0 0 22px; padding-left: 20px; color: #3d4b5e; line-height: 1.9; }
.§choice { display: flex; align-items: center; gap: 10px; padding: 10px 12px; border: 1px solid #dfe5ee;
  border-radius: 8px; margin: 0 0 8px; font-weight: 400 !important; cursor: pointer; }
fieldset.§field { border: 0; padding: 0; }
.§consequences { background: #fafbfd; border: 1px solid #e3e8ef; border-radius: 10px; padding: 14px 18px 14px 36px;
  color: #3d4b5e; line-height: 1.8; margin: 0 0 22px; }
.§confirm-word { font-family: "DejaVu Sans Mono", monospace; background: #f1f4f9; padding: 1px 6px; border-radius: 4px; }
.§actions { display: flex; gap: 12px; justify-content: flex-end; margin-top: 8px; }
.§result-icon { width: 56px; height: 56px; border-radius: 50%; background: #eaf7ef; color: #1c6b3a; font-size: 28px;
  display: flex; align-items: center; justify-content: center; margin: 0 0 16px; }
.§ref { font-family: "DejaVu Sans Mono", monospace; font-weight: 600; }
/* modal dialogs and the cookie banner */
.§backdrop { position: fixed; inset: 0; background: rgba(15, 31, 61, .55); z-index: 100; display: flex;
  align-items: center; justify-content: center; }
.§backdrop[hidden] { display: none; }
.§modal { width: 520px; background: #fff; border-radius: 14px; padding: 28px 30px 24px;
  box-shadow: 0 24px 60px rgba(0, 0, 0, .3); }
.§modal h2 { margin: 0 0 10px; font-size: 21px; }
.§modal p { color: #3d4b5e; line-height: 1.6; }
.§modal-actions { display: flex; flex-direction: column; align-items: center; gap: 14px; margin-top: 22px; }
.§small-link { font-size: 13px; color: #66758a; }
.§cookie-shade { position: fixed; inset: 0; z-index: 200; background: rgba(15, 31, 61, .35); }
.§cookie { position: fixed; left: 0; right: 0; bottom: 0; z-index: 201; background: #fff; padding: 22px 0;
  box-shadow: 0 -8px 30px rgba(15, 31, 61, .2); }
.§cookie-inner { max-width: 1200px; margin: 0 auto; padding: 0 24px; display: flex; gap: 32px; align-items: center; }
.§cookie h2 { font-size: 17px; margin: 0 0 6px; }
.§cookie p { margin: 0; color: #3d4b5e; font-size: 14px; line-height: 1.5; }
.§cookie-buttons { display: flex; gap: 10px; flex: none; }
"""
