// Injected by `closure-assistant profiles record` into every page of the recording browser.
// It watches what the person does (clicks, typing, ticks, selections, scrolling a box to its end)
// and reports each action with locators computed from the DOM, best first: ARIA role + accessible
// name, label, placeholder, visible text, then CSS from a stable id. It never reports what was
// typed into a password field or a verification-code field.
//
// Safety: the floating toolbar's "mark as final submit" mode records the next clicked element
// WITHOUT letting the click through: a full-page glass catches the pointer, and every pointer,
// mouse, touch and key event is swallowed at window capture (registered before any site script).
//
// Pop-ups: a click on a declared pop-up (or on anything inside it) is never a step, and never the
// marked submit: an advert that shows up under the person's finger must not become part of the
// closure. It is recorded as an overlay to dismiss (by its close control) instead.
//
// Embedded (`closure-assistant witness`, where the person's clicks really happen): the tool that
// injects this script defines __closureAssistantRecorderOptions in a block around it, never as a
// global: {toolbar: false} leaves the toolbar to that tool, {frames: true} records inside frames too
// (the Python side adds each frame's selector). Without a mark mode there is nothing to guard there.
(() => {
  const OPTIONS = (typeof __closureAssistantRecorderOptions === 'object' && __closureAssistantRecorderOptions) || {};
  if (window.top !== window && !OPTIONS.frames) return;  // frames are not recorded (see docs/writing-profiles.md)
  if (window.__closureAssistantRecorder) return;
  const BINDING = '__closureAssistantRecord';
  const ROLES = ['button', 'link', 'checkbox', 'radio', 'textbox', 'combobox', 'heading', 'tab', 'menuitem',
                 'dialog', 'listitem', 'option', 'switch', 'img', 'alert', 'status'];
  const CLICK_ROLES = ['button', 'link', 'tab', 'menuitem', 'option', 'switch', 'listitem'];
  const CODE_HINT = /验证码|校验码|动态码|动态密码|短信码|code|otp|one-time/i;
  const PASSWORD_HINT = /pass(word|wd)?|pwd|密码/i;
  // Words of a pop-up's close control. Deliberately narrow: "暂不注销" must never become an overlay.
  const CLOSE_WORDS = /^(关闭\S{0,4}|跳过\S{0,4}|我知道了|知道了|以后再说|稍后再说|不再提示|close|dismiss|skip|no thanks|×|✕|╳|x)$/i;
  const SEND_WORDS = /验证码|获取|发送|send|code/i;
  const RISKY_WORDS = /注销|提交|确认|申请|submit|confirm|close account|delete/i;
  const MASKED = /\d{2,4}\*{2,}\d{2,4}|\S\*{2,}\S*@\S+/;
  const EVENTS_TO_SWALLOW = ['pointerdown', 'pointerup', 'pointermove', 'pointerover', 'pointerout', 'pointerenter',
    'pointerleave', 'pointercancel', 'mousedown', 'mouseup', 'mousemove', 'mouseover', 'mouseout', 'click',
    'dblclick', 'auxclick', 'contextmenu', 'touchstart', 'touchend', 'touchmove', 'touchcancel',
    'keydown', 'keyup', 'keypress', 'submit'];  // not 'wheel': the person may scroll to the button while marking

  let armed = false;           // mark mode: the next click is recorded as the submit, never delivered
  let host = null, shadow = null, ui = {};
  const dirty = new Map();     // text fields typed into since their value was last reported
  const reported = new WeakMap();
  const scrolledToEnd = new WeakSet();
  // A pop-up that shows up this long after the person's last click or key (or with none yet on
  // this page) came on its own, like an advert; one that shows sooner answers what they did (a
  // "really close?" dialog is a step of the flow, not something to dismiss).
  const ON_ITS_OWN_MS = 2000;
  let lastActionAt = -Infinity;
  const appeared = new WeakMap();              // element -> {at, gap}: when it appeared or changed, ms after the last action
  const closedPopups = new Set();              // close-control labels of pop-ups the person has closed

  // ------------------------------------------------------------------ DOM reading

  const norm = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
  const ours = (node) => !!host && (node === host || (node instanceof Node && host.contains(node)));

  function visible(el) {
    if (!(el instanceof Element) || ours(el)) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  }

  function textOf(el) {
    let out = '';
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.nodeValue;
        else if (child.nodeType === Node.ELEMENT_NODE && !/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(child.tagName)) walk(child);
      }
    };
    walk(el);
    return norm(out);
  }

  function roleOf(el) {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'button') return 'button';
    if (tag === 'input') {
      if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (['', 'text', 'tel', 'email', 'url', 'search', 'password'].includes(type)) return type === 'password' ? '' : 'textbox';
      return '';
    }
    if (tag === 'textarea') return 'textbox';
    if (tag === 'select') return (el.multiple || el.size > 1) ? 'listbox' : 'combobox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'img' && el.getAttribute('alt')) return 'img';
    if (tag === 'li') return 'listitem';
    if (tag === 'option') return 'option';
    if (tag === 'dialog') return 'dialog';
    return '';
  }

  function labelText(el) {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(textOf(l));
    return norm(parts.join(' '));
  }

  function nameOf(el) {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const text = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(textOf).join(' ');
      if (norm(text)) return norm(text);
    }
    if (norm(el.getAttribute('aria-label'))) return norm(el.getAttribute('aria-label'));
    const tag = el.tagName.toLowerCase();
    if (['input', 'select', 'textarea'].includes(tag)) {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (tag === 'input' && ['button', 'submit', 'reset'].includes(type)) return norm(el.value);
      if (tag === 'input' && type === 'image') return norm(el.getAttribute('alt'));
      const label = labelText(el);
      if (label) return label;
      return norm(el.getAttribute('title') || el.getAttribute('placeholder'));
    }
    if (tag === 'img') return norm(el.getAttribute('alt'));
    const text = textOf(el);
    return text || norm(el.getAttribute('title'));
  }

  const all = () => Array.from(document.querySelectorAll('body *')).filter((el) => !ours(el));
  const isControl = (el) => /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);

  function countRole(role, name) {
    return all().filter((el) => roleOf(el) === role && visible(el) && nameOf(el) === name).length;
  }
  function countLabel(label) {
    return all().filter((el) => isControl(el) && visible(el) &&
      (labelText(el).includes(label) || norm(el.getAttribute('aria-label')).includes(label))).length;
  }
  function countPlaceholder(p) {
    return all().filter((el) => visible(el) && norm(el.getAttribute('placeholder')).includes(p)).length;
  }
  // Like Playwright's text matching: the smallest elements whose whole text is `text`.
  function countText(text) {
    return all().filter((el) => visible(el) && textOf(el) === text &&
      !Array.from(el.children).some((c) => textOf(c) === text)).length;
  }
  function countCss(css) {
    try { return Array.from(document.querySelectorAll(css)).filter(visible).length; } catch (e) { return 0; }
  }

  const stableId = (id) => !!id && /^[A-Za-z][\w-]{0,60}$/.test(id) && !/\d{3,}/.test(id) &&
    !/^(ember|react|vue|el-id|j_id|ext-gen|mui|rc_|headlessui)/i.test(id);
  const stableClass = (c) => /^[A-Za-z][\w-]{1,40}$/.test(c) && !/\d{3,}|^css-|^sc-|^_|__[\w]{5,}$/.test(c);

  // CSS from what looks stable (id, name, test ids, a distinctive class). `path` allows a
  // structural selector, used only when nothing else identifies the element.
  function cssFor(el, path) {
    const tag = el.tagName.toLowerCase();
    const unique = (css) => countCss(css) === 1 && document.querySelector(css) !== null;
    if (stableId(el.id) && unique('#' + CSS.escape(el.id))) return {css: '#' + CSS.escape(el.id), stable: true};
    for (const attr of ['data-testid', 'data-test', 'data-qa', 'name']) {
      const v = el.getAttribute(attr);
      if (v && v.length <= 60) {
        const css = `${tag}[${attr}="${CSS.escape(v)}"]`;
        if (unique(css)) return {css, stable: true};
      }
    }
    const classes = Array.from(el.classList).filter(stableClass);
    for (const c of classes) {
      const css = '.' + CSS.escape(c);
      if (unique(css)) return {css, stable: false};
    }
    if (classes.length) {
      const css = tag + classes.map((c) => '.' + CSS.escape(c)).join('');
      if (unique(css)) return {css, stable: false};
    }
    if (!path) return null;
    const steps = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.body && steps.length < 6) {
      if (stableId(node.id)) { steps.unshift('#' + CSS.escape(node.id)); break; }
      const t = node.tagName.toLowerCase();
      const same = node.parentElement ? Array.from(node.parentElement.children).filter((c) => c.tagName === node.tagName) : [node];
      steps.unshift(same.length > 1 ? `${t}:nth-of-type(${same.indexOf(node) + 1})` : t);
      node = node.parentElement;
    }
    return {css: steps.join(' > '), stable: false};
  }

  // Candidates that find exactly this element today, best first (at most three).
  function candidatesFor(el, purpose) {
    const out = [];
    const add = (cand, count) => { if (count === 1 && out.length < 3) out.push(cand); };
    const role = roleOf(el);
    const name = nameOf(el);
    const label = isControl(el) ? labelText(el) : '';
    const placeholder = norm(el.getAttribute('placeholder'));
    const short = (s, n) => s && s.length <= n;
    if (purpose === 'fill' || purpose === 'check' || purpose === 'select') {
      // Form controls: the words of their label first (a substring match survives small rewordings).
      if (short(label, 80)) add({label}, countLabel(label));
      if (short(placeholder, 80)) add({placeholder}, countPlaceholder(placeholder));
      if ((purpose !== 'fill' || !out.length) && ROLES.includes(role) && short(name, 80)) {
        add({role, name, exact: true}, countRole(role, name));
      }
    } else if (purpose === 'click') {
      if (ROLES.includes(role) && short(name, 80)) add({role, name, exact: true}, countRole(role, name));
      const text = textOf(el);
      if (short(text, 40)) add({text, exact: true}, countText(text));
      const title = norm(el.getAttribute('title'));
      if (short(title, 80)) add({title}, all().filter((e) => visible(e) && norm(e.getAttribute('title')).includes(title)).length);
    }
    const css = cssFor(el, out.length === 0);
    if (css && (css.stable || out.length === 0) && out.length < 3) out.push({css: css.css});
    return out;
  }

  const CLICKABLE = 'a[href], button, input[type=button], input[type=submit], input[type=image], input[type=reset], ' +
    '[role=button], [role=link], [role=tab], [role=menuitem], [role=option], [role=switch], [onclick], label, summary';

  // The element a click means: the nearest link/button/handler box, else the outermost element of
  // a cursor:pointer chain (cursor is inherited, so the innermost span would say nothing useful).
  function clickable(target) {
    const start = target instanceof Element ? target : target && target.parentElement;
    let pointer = null;
    for (let node = start, depth = 0; node && node !== document.body && depth < 8; node = node.parentElement, depth++) {
      if (node.matches(CLICKABLE)) return node;
      if (getComputedStyle(node).cursor === 'pointer') pointer = node;
      else if (pointer) break;
    }
    return pointer;
  }

  const textField = (el) => el instanceof Element && (el.tagName === 'TEXTAREA' ||
    (el.tagName === 'INPUT' && ['', 'text', 'tel', 'email', 'url', 'search', 'password', 'number'].includes((el.getAttribute('type') || '').toLowerCase())));
  const toggle = (el) => el instanceof Element && el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type);
  const passwordField = (el) => el.type === 'password' || /current-password|new-password/.test(el.autocomplete || '') ||
    PASSWORD_HINT.test((el.name || '') + ' ' + (el.id || ''));
  const fieldHints = (el) => [labelText(el), el.getAttribute('placeholder'), el.getAttribute('aria-label'), el.name, el.id,
    el.autocomplete].map(norm).join(' ');

  // ------------------------------------------------------------------ pop-ups

  function closeControlIn(root) {
    return Array.from(root.querySelectorAll(CLICKABLE))
      .find((el) => !ours(el) && visible(el) && CLOSE_WORDS.test(nameOf(el) || textOf(el))) || null;
  }

  // The pop-up `el` is part of: the nearest dialog or fixed layer that holds a close control.
  function popupOf(el) {
    for (let node = el instanceof Element ? el : null; node && node !== document.body && node !== document.documentElement;
         node = node.parentElement) {
      if (ours(node)) return null;
      if (node.matches('[role=dialog], [aria-modal=true], dialog') || getComputedStyle(node).position === 'fixed') {
        const close = closeControlIn(node);
        if (close) return {root: node, close};
      }
    }
    return null;
  }

  // What showed it is the latest change on its way up (itself or a wrapper coming in or unhidden).
  function cameOnItsOwn(root) {
    let latest = null;
    for (let node = root; node && node !== document.body && node !== document.documentElement; node = node.parentElement) {
      const seen = appeared.get(node);
      if (seen && (!latest || seen.at > latest.at)) latest = seen;
    }
    return !latest || latest.gap > ON_ITS_OWN_MS;  // none: part of the page as it loaded
  }

  // Declared: it showed up on its own, or the person already closed one like it.
  function declaredPopupAt(el) {
    const popup = popupOf(el);
    if (!popup) return null;
    const label = nameOf(popup.close) || textOf(popup.close);
    return closedPopups.has(label) || cameOnItsOwn(popup.root) ? popup : null;
  }

  function reportPopup(popup) {
    const label = (nameOf(popup.close) || textOf(popup.close)).slice(0, 80);
    closedPopups.add(label);
    return send({kind: 'click', candidates: candidatesFor(popup.close, 'click'), label, overlay: true, send: false});
  }

  // Cheap bookkeeping only (no style reads): when each node appeared or changed, after the last action.
  new MutationObserver((records) => {
    const at = performance.now();
    const seen = {at, gap: at - lastActionAt};
    for (const record of records) {
      if (record.type === 'attributes') appeared.set(record.target, seen);
      for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) appeared.set(node, seen);
    }
  }).observe(document, {childList: true, subtree: true, attributes: true,
                        attributeFilter: ['hidden', 'open', 'style', 'class', 'aria-hidden']});

  function insideOverlay(el) {
    if (el.closest('[role=dialog], [aria-modal=true], dialog')) return true;
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const pos = getComputedStyle(node).position;
      if (pos === 'fixed' || pos === 'sticky') return true;
    }
    return false;
  }

  function destinationNear() {
    const leaf = all().find((el) => visible(el) && el.children.length === 0 && MASKED.test(textOf(el)));
    if (!leaf) return null;
    const css = cssFor(leaf, false);
    return css ? [{css: css.css}] : null;  // never its text: that is the person's phone or e-mail
  }

  // ------------------------------------------------------------------ reporting

  function send(payload) {
    payload.url = location.href;
    try {
      return Promise.resolve(window[BINDING](payload)).then((reply) => { showCount(reply); return reply; },
                                                              () => null);
    } catch (e) {
      return Promise.resolve(null);
    }
  }

  function reportFill(el) {
    dirty.delete(el);
    const value = el.value || '';
    if (reported.get(el) === value) return Promise.resolve(null);
    reported.set(el, value);
    const password = passwordField(el);
    const codeField = !password && CODE_HINT.test(fieldHints(el));
    const payload = {kind: 'fill', candidates: candidatesFor(el, 'fill'), label: labelText(el) || norm(el.getAttribute('placeholder')) || nameOf(el),
      elementKey: (cssFor(el, true) || {}).css || '', fieldType: (el.getAttribute('type') || el.tagName).toLowerCase(),
      password, codeField, empty: value === '', hints: fieldHints(el).slice(0, 300)};
    if (codeField) {
      payload.codeLike = /^\d{4,8}$/.test(value.trim());
      payload.destination = destinationNear();
    }
    if (!password && !codeField) payload.value = value.slice(0, 500);  // never a password or a code
    return send(payload);
  }

  // Resolves once the recorder has every pending value, so a caller can rely on it.
  function flush() {
    return Promise.all(Array.from(dirty.keys()).map(reportFill));
  }

  // A "send code" button usually turns into a countdown: that text tells a replay the code went out.
  // Watching starts at the click itself. A countdown (digits) is reported at once; other words only
  // if they are still there after 10 s, so a passing "发送中…" is not taken for that sign.
  function watchAfterClick(el, named) {
    const before = textOf(el);
    let latest = null, done = false;
    const report = (text) => {
      if (done) return;
      done = true;
      observer.disconnect();
      named.then((reply) => { if (reply) send({kind: 'after', ref: reply.id, text: text.slice(0, 200)}); });
    };
    const observer = new MutationObserver(() => {
      const now = textOf(el);
      if (!now || now === before) return;
      if (/\d/.test(now)) report(now); else latest = now;
    });
    observer.observe(el, {childList: true, characterData: true, subtree: true});
    setTimeout(() => { if (latest && textOf(el) === latest) report(latest); else { done = true; observer.disconnect(); } },
               10000);
  }

  function reportClick(el) {
    const popup = declaredPopupAt(el);
    if (popup) { reportPopup(popup); return; }  // never a step
    const name = nameOf(el) || textOf(el);
    const payload = {kind: 'click', candidates: candidatesFor(el, 'click'), label: name.slice(0, 80),
      overlay: CLOSE_WORDS.test(name) && insideOverlay(el), send: SEND_WORDS.test(name)};
    if (payload.overlay) closedPopups.add(name.slice(0, 80));
    const named = send(payload);
    if (payload.send) watchAfterClick(el, named);
  }

  // ------------------------------------------------------------------ page events (bubble to window, capture phase)

  function isToolbarEvent(e) { return !!host && e.composedPath().includes(host); }

  function swallow(e) {
    e.preventDefault();
    e.stopPropagation();
    e.stopImmediatePropagation();
  }

  // Registered first, so no site listener can act before these run.
  for (const type of EVENTS_TO_SWALLOW) {
    window.addEventListener(type, (e) => {
      if (!e.isTrusted) {
        if (armed) swallow(e);  // nothing synthetic gets through in mark mode either
        return;
      }
      if (!armed && !isToolbarEvent(e) && ['pointerdown', 'mousedown', 'touchstart', 'keydown'].includes(type)) {
        lastActionAt = performance.now();
      }
      if (armed || isToolbarEvent(e)) {
        swallow(e);
        if (type === 'click') onGuardedClick(e);
        else if (type === 'mousemove' && armed) highlightAt(e.clientX, e.clientY);
        else if (type === 'keydown' && armed && e.key === 'Escape') disarm('cancelled');
        return;
      }
      if (type === 'click') onPageClick(e);
      else if (type === 'keydown') onKeyDown(e);
      else if (type === 'mouseover') onHover(e);
      else if (type === 'pointerdown') onPointerDown(e);
      else if (type === 'pointerup') onPointerUp(e);
    }, true);
  }

  // A press that travels (a slider captcha) is no click but a person's own gesture, which a profile
  // can only leave to a person (a `manual` step). Selecting text and dragging a scrollbar are neither.
  const DRAG_PX = 24;
  let press = null, dragged = false;

  function onPointerDown(e) {
    dragged = false;
    const el = e.target instanceof Element ? e.target : null;
    const onScrollbar = !!el && (e.offsetX > el.clientWidth || e.offsetY > el.clientHeight) &&
      (el.scrollHeight > el.clientHeight || el.scrollWidth > el.clientWidth);
    press = e.isPrimary && el && !onScrollbar ? {x: e.clientX, y: e.clientY, el} : null;
  }

  function onPointerUp(e) {
    const start = press;
    press = null;
    if (!start || !e.isPrimary || Math.hypot(e.clientX - start.x, e.clientY - start.y) < DRAG_PX) return;
    dragged = true;  // the click that may follow ends this drag: it is not a click of its own
    if (ours(start.el) || String(window.getSelection() || '').trim()) return;
    const el = clickable(start.el) || start.el;
    flush();
    send({kind: 'drag', candidates: candidatesFor(el, 'click'), label: (nameOf(el) || textOf(el)).slice(0, 80),
      elementKey: (cssFor(el, true) || {}).css || ''});
  }

  function onPageClick(e) {
    if (dragged && e.detail > 0) { dragged = false; return; }  // a keyboard's click (detail 0) is its own
    const target = e.target;
    const popup = declaredPopupAt(target instanceof Element ? target : target && target.parentElement);
    if (popup) { flush(); reportPopup(popup); return; }  // whatever was clicked in it: not a step
    if (textField(target) || (target instanceof Element && target.tagName === 'SELECT') || toggle(target)) return;
    const el = clickable(target);
    if (!el) return;
    if (el.tagName === 'LABEL' && el.control && (toggle(el.control) || textField(el.control) || el.control.tagName === 'SELECT')) return;
    flush();
    reportClick(el);
  }

  function onKeyDown(e) {
    const el = e.target;
    if (e.key === 'Enter' && textField(el) && el.tagName !== 'TEXTAREA') {
      flush();
      send({kind: 'press', key: 'Enter', candidates: candidatesFor(el, 'fill'), label: labelText(el) || nameOf(el)});
    }
  }

  function onHover(e) {
    if (!ui.warn) return;
    const el = clickable(e.target);
    const name = el ? (nameOf(el) || textOf(el)) : '';
    ui.warn.hidden = !(name && name.length <= 30 && RISKY_WORDS.test(name));
    if (!ui.warn.hidden) {
      ui.warn.textContent = `⚠ 「${name}」可能是最终提交：真的点击会真的提交。先点工具条上的「标记最终提交（不点击）」再点它。` +
        ` / This may be the final submit: clicking it really submits. Use "Mark as final submit" first.`;
    }
  }

  document.addEventListener('input', (e) => {
    const el = e.target;
    if (textField(el)) dirty.set(el, true);
  }, true);

  document.addEventListener('change', (e) => {
    const el = e.target;
    if (!(el instanceof Element)) return;
    if (el.tagName === 'SELECT') {
      // Accepted even when synthetic: automation and assistive tools set <select> this way.
      const option = el.selectedOptions && el.selectedOptions[0];
      send({kind: 'select', candidates: candidatesFor(el, 'select'), label: labelText(el) || nameOf(el),
        option: option ? norm(option.text) : '', elementKey: (cssFor(el, true) || {}).css || ''});
    } else if (toggle(el) && e.isTrusted) {
      flush();
      send({kind: el.checked ? 'check' : 'uncheck', candidates: candidatesFor(el, 'check'),
        label: labelText(el) || nameOf(el), elementKey: (cssFor(el, true) || {}).css || ''});
    } else if (textField(el)) {
      reportFill(el);
    }
  }, true);

  document.addEventListener('focusout', (e) => { if (dirty.has(e.target)) reportFill(e.target); }, true);
  window.addEventListener('pagehide', flush, true);

  document.addEventListener('scroll', (e) => {
    const el = e.target;
    if (!(el instanceof Element) || el === document.documentElement || el === document.body || ours(el)) return;
    if (scrolledToEnd.has(el) || el.scrollTop + el.clientHeight < el.scrollHeight - 4) return;
    scrolledToEnd.add(el);
    const css = cssFor(el, true);
    send({kind: 'scroll', candidates: candidatesFor(el, 'scroll'), label: (css && css.css) || '',
      elementKey: (css && css.css) || ''});
  }, true);

  // ------------------------------------------------------------------ toolbar and mark mode

  function onGuardedClick(e) {
    const path = e.composedPath();
    const button = path.find((n) => n instanceof Element && n.dataset && n.dataset.act);
    if (button && button.dataset.act === 'mark') { armed ? disarm('cancelled') : arm(); return; }
    if (button && button.dataset.act === 'finish') { disarm(); finish(); return; }
    if (button && button.dataset.act === 'flip') { ui.bar.classList.toggle('bottom'); return; }
    if (armed) markAt(e.clientX, e.clientY);
  }

  function underGlass(x, y) {
    return document.elementsFromPoint(x, y).find((el) => !ours(el) && el !== document.documentElement &&
                                                   el !== document.body) || null;
  }

  function highlightAt(x, y) {
    const el = underGlass(x, y);
    const target = el && (clickable(el) || el);
    if (!target) { ui.hilite.hidden = true; return; }
    const r = target.getBoundingClientRect();
    Object.assign(ui.hilite.style, {left: r.left + 'px', top: r.top + 'px', width: r.width + 'px', height: r.height + 'px'});
    ui.hilite.hidden = false;
  }

  function markAt(x, y) {
    const el = underGlass(x, y);
    if (!el) return;
    if (el.tagName === 'IFRAME') {
      setStatus('这个按钮在内嵌框架里，无法标记：结束录制后在终端里按编号指定。 / The button is inside a frame: ' +
        'finish, then give its number in the terminal.');
      disarm();
      return;
    }
    const popup = declaredPopupAt(el);
    if (popup) {  // the person aimed at the page under it: nothing to mark here
      flush();
      reportPopup(popup);
      disarm();
      setStatus('一个弹窗挡住了页面：请先关闭它，再标记最终提交。 / A pop-up covers the page: close it, then mark ' +
        'the final submit again.');
      return;
    }
    const target = clickable(el) || el;
    flush();
    const name = nameOf(target) || textOf(target);
    send({kind: 'submit', candidates: candidatesFor(target, 'click'), label: name.slice(0, 80),
      pageText: (document.body.innerText || '').slice(0, 20000)});
    disarm();
    setStatus(`已标记最终提交：「${name.slice(0, 30)}」（未点击）。请点「结束」。 / Marked as the final ` +
      `submit: "${name.slice(0, 30)}" (NOT clicked). Click "Finish".`);
  }

  function arm() {
    armed = true;
    flush();
    ui.glass.hidden = false;
    ui.mark.textContent = '取消标记 / Cancel';
    setStatus('请点击最终提交按钮：只记录，不会点击（Esc 取消） / Click the final submit button: ' +
      'it is recorded, NOT clicked (Esc cancels)');
  }

  function disarm(reason) {
    armed = false;
    if (!ui.glass) return;
    ui.glass.hidden = true;
    ui.hilite.hidden = true;
    ui.mark.textContent = '标记最终提交（不点击）';
    if (reason === 'cancelled') setStatus('已取消标记 / Marking cancelled');
  }

  function finish() {
    flush();
    send({kind: 'finish'}).then(() => console.debug('[closure-assistant] recording finished'));
    setStatus('录制已结束，请回到终端。 / Recording finished: go back to the terminal.');
  }

  function showCount(reply) {
    if (reply && ui.count && typeof reply.count === 'number') {
      ui.count.textContent = String(reply.count);
      if (reply.count > 0 && !armed && ui.status.textContent.startsWith('登录并')) setStatus('');  // the tip has done its job
    }
  }

  // Compact and click-through except for its buttons, so it hides as little of the site as
  // possible; ⇅ moves it to the other edge when it still covers something.
  const CSS_TEXT = `
    :host { all: initial; }
    .bar { position: fixed; top: 4px; right: 4px; z-index: 2147483647; max-width: min(380px, 96vw);
      font: 11px/1.35 -apple-system, "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #fff;
      pointer-events: none; display: flex; flex-direction: column; align-items: flex-end; gap: 3px; }
    .bar.bottom { top: auto; bottom: 4px; flex-direction: column-reverse; }
    .row { display: flex; align-items: center; gap: 4px; background: rgba(20, 20, 28, .9); border-radius: 8px;
      padding: 3px 4px; box-shadow: 0 2px 10px rgba(0,0,0,.35); }
    .rec { color: #ff6b6b; font-weight: 600; padding: 0 2px; }
    .status, .warn { background: rgba(20, 20, 28, .9); border-radius: 6px; padding: 4px 6px; max-width: 100%; }
    .warn { color: #ffd166; }
    button { pointer-events: auto; padding: 4px 6px; border-radius: 5px; border: 0; font: inherit; cursor: pointer;
      white-space: nowrap; }
    button[data-act=mark] { background: #e03131; color: #fff; font-weight: 600; }
    button[data-act=finish], button[data-act=flip] { background: #f1f3f5; color: #222; }
    .glass { position: fixed; inset: 0; z-index: 2147483646; cursor: crosshair; background: rgba(224, 49, 49, .06); }
    .hilite { position: fixed; z-index: 2147483647; pointer-events: none; outline: 3px solid #e03131;
      background: rgba(224, 49, 49, .12); }
    [hidden] { display: none !important; }`;

  const MARK_LABEL = '标记为最终提交（不点击） / Mark as final submit (don\'t click)';

  function mountToolbar() {
    if (host && host.isConnected) return;
    if (!host) {
      host = document.createElement('closure-assistant-recorder');
      shadow = host.attachShadow({mode: 'open'});
      shadow.innerHTML = `<style>${CSS_TEXT}</style>
        <div class="glass" hidden></div><div class="hilite" hidden></div>
        <div class="bar" role="toolbar" aria-label="closure-assistant recorder">
          <div class="row">
            <span class="rec" title="录制中 / Recording">● <span class="count">0</span></span>
            <button type="button" data-act="mark" aria-label="${MARK_LABEL}" title="${MARK_LABEL}">标记最终提交（不点击）</button>
            <button type="button" data-act="flip" aria-label="工具条移到另一边 / Move the toolbar" title="工具条移到另一边 / Move the toolbar">⇅</button>
            <button type="button" data-act="finish" aria-label="结束录制 / Finish" title="结束录制 / Finish">结束</button>
          </div>
          <div class="status">登录并一路点到注销；最终提交按钮不要直接点！ / Log in and click through to the closure; ` +
          `do not click the final button itself!</div>
          <div class="warn" hidden></div>
        </div>`;
      ui = {glass: shadow.querySelector('.glass'), hilite: shadow.querySelector('.hilite'),
        bar: shadow.querySelector('.bar'), status: shadow.querySelector('.status'), warn: shadow.querySelector('.warn'),
        count: shadow.querySelector('.count'), mark: shadow.querySelector('[data-act=mark]')};
    }
    document.documentElement.appendChild(host);
  }

  function setStatus(text) {
    ui.status.textContent = text;
    ui.status.hidden = !text;
  }

  function whenReady() {
    if (OPTIONS.toolbar === false || window.top !== window) return;
    mountToolbar();
    // Single-page sites sometimes rebuild the document: put the toolbar back.
    new MutationObserver(() => { if (!host.isConnected) mountToolbar(); })
      .observe(document.documentElement, {childList: true});
  }
  // After parsing, so the toolbar never disturbs how the parser builds <head> and <body>.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenReady);
  else whenReady();

  Object.defineProperty(window, '__closureAssistantRecorder', {value: Object.freeze({flush}), enumerable: false});
})();
