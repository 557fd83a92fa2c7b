// Injected by `closure-assistant witness` into every page of the browser in which a person closes their
// account by hand. The person does everything; this script never clicks, types or navigates. It gives
// them a small toolbar to tell the tool what only they know: "my next click is the final submit", "this
// screen is a retention screen / an agreement / a notice / the result", "hide this element in the
// evidence", a note, and "finished". Everything else (clicks, pages, dialogs, downloads) the tool sees
// for itself.
//
// Isolation from the page: the toolbar lives in a closed shadow root whose styles are reset with
// `all: initial`; every event aimed at it is stopped at the window in the capture phase (this script
// runs before any of the page's), so the page never sees a click on it or a key typed into its note.
// The tool's own state (steps captured, the submit armed) comes back in the binding's replies and in
// two data- attributes of the host element, which the tool sets after each capture.
(() => {
  const OPTIONS = (typeof __closureAssistantWitnessOptions === 'object' && __closureAssistantWitnessOptions) || {};
  const BINDING = '__closureAssistantWitness';
  const HOST_TAG = 'closure-assistant-witness';
  const WAKE = '[closure-assistant] ';

  // The tool waits for the browser's messages: a console line tells it something happened. Later than
  // the event itself (setTimeout), so the recorder's own report of the same click is already there.
  const wake = (what) => setTimeout(() => console.debug(WAKE + what), 0);
  for (const type of ['click', 'change', 'pointerup']) {
    window.addEventListener(type, (e) => { if (e.isTrusted) wake(type); }, true);
  }
  window.addEventListener('keydown', (e) => { if (e.isTrusted && e.key === 'Enter') wake('enter'); }, true);
  if (window.top !== window) return;  // frames: the toolbar is the top page's

  const WORDS = {
    zh: {
      rec: '见证中', steps: '步', submit: '下一次点击是最终提交', submitArmed: '已准备：下一次点击记为最终提交（取消）',
      mark: '标记本页', hide: '遮盖', note: '备注', finish: '结束', flip: '移到另一边',
      screens: {retention: '挽留页', agreement: '协议', notice: '须知', result: '结果页'},
      notePlaceholder: '写一句备注，回车保存', save: '保存',
      tip: '请像平时一样自己操作，工具只记录。到最后一步时，先点「下一次点击是最终提交」，再点最终按钮。',
      armedTip: '好的：您下一次点击的按钮会被记为最终提交（这次点击会真的提交）。',
      picking: '请点击要遮盖的内容（Esc 取消）。此后的截图和网页都会遮盖它；之前的截图不变。',
      picked: '已遮盖。', marked: '已标记：', noted: '备注已保存。', finished: '已结束，请回到终端回答几个问题。',
    },
    en: {
      rec: 'Witnessing', steps: 'steps', submit: 'Next click is the final submit', submitArmed: 'Armed: the next click is the final submit (cancel)',
      mark: 'Mark this screen', hide: 'Hide', note: 'Note', finish: 'Finish', flip: 'Move to the other side',
      screens: {retention: 'Retention', agreement: 'Agreement', notice: 'Notice', result: 'Result'},
      notePlaceholder: 'Type a note, Enter saves', save: 'Save',
      tip: 'Do everything yourself as usual; the tool only records. At the last step, first click "Next click is the final submit", then the final button.',
      armedTip: 'OK: the next button you click is recorded as the final submit (the click really submits).',
      picking: 'Click what to hide (Esc cancels). Later screenshots and pages hide it; earlier ones stay as they are.',
      picked: 'Hidden.', marked: 'Marked: ', noted: 'Note saved.', finished: 'Finished: go back to the terminal to answer a few questions.',
    },
  };
  const W = WORDS[OPTIONS.lang === 'en' ? 'en' : 'zh'];

  let host = null, shadow = null, ui = {};
  let picking = false;

  function report(payload) {
    payload.url = location.href;
    let reply;
    try {
      reply = Promise.resolve(window[BINDING](payload));
    } catch (e) {
      reply = Promise.resolve(null);
    }
    wake(payload.kind);
    return reply.then((r) => { if (r) showState(r); return r; }, () => null);
  }

  // ------------------------------------------------------------------ events: the toolbar's own, and picking

  const isOurs = (e) => !!host && (e.target === host || e.composedPath().includes(host));

  function swallow(e) {
    e.stopPropagation();
    e.stopImmediatePropagation();
  }

  const POINTER = ['pointerdown', 'pointerup', 'pointermove', 'pointerover', 'pointerout', 'pointerenter',
    'pointerleave', 'pointercancel', 'mousedown', 'mouseup', 'mousemove', 'mouseover', 'mouseout', 'click',
    'dblclick', 'auxclick', 'contextmenu', 'touchstart', 'touchend', 'touchmove', 'touchcancel'];
  const KEYS = ['keydown', 'keyup', 'keypress', 'beforeinput', 'input', 'change', 'focusin', 'focusout',
    'compositionstart', 'compositionupdate', 'compositionend', 'paste', 'copy', 'cut', 'submit'];

  for (const type of [...POINTER, ...KEYS]) {
    window.addEventListener(type, (e) => {
      if (!e.isTrusted) return;
      if (picking && POINTER.includes(type)) {  // choosing what to hide: nothing reaches the page
        swallow(e);
        e.preventDefault();
        if (type === 'click') pickAt(e.clientX, e.clientY);
        return;
      }
      if (!isOurs(e)) {
        if (type === 'pointerdown' && host && host.dataset.armed === '1') report({kind: 'submit_press'});
        return;
      }
      swallow(e);  // the page never hears of the toolbar
      if (type === 'click') onToolbarClick(e);
      else if (type === 'keydown' && e.key === 'Enter' && ui.noteInput && shadow.activeElement === ui.noteInput) saveNote();
      else if (type === 'keydown' && e.key === 'Escape') closePanels();
    }, true);
  }
  window.addEventListener('keydown', (e) => {
    if (picking && e.isTrusted && e.key === 'Escape') { swallow(e); stopPicking(''); }
  }, true);

  function onToolbarClick(e) {
    const el = shadow.elementFromPoint(e.clientX, e.clientY);
    const button = el && el.closest('[data-act]');
    if (!button) return;
    const act = button.dataset.act;
    if (act === 'submit') report({kind: host.dataset.armed === '1' ? 'disarm' : 'arm'});
    else if (act === 'mark') { ui.screens.hidden = !ui.screens.hidden; ui.notePanel.hidden = true; }
    else if (act === 'screen') { ui.screens.hidden = true; report({kind: 'mark', screen: button.dataset.screen}); }
    else if (act === 'hide') startPicking();
    else if (act === 'note') { ui.notePanel.hidden = !ui.notePanel.hidden; ui.screens.hidden = true; if (!ui.notePanel.hidden) ui.noteInput.focus(); }
    else if (act === 'save') saveNote();
    else if (act === 'finish') { closePanels(); report({kind: 'finish'}).then(() => setStatus(W.finished)); }
    else if (act === 'flip') ui.bar.classList.toggle('bottom');
  }

  function closePanels() {
    ui.screens.hidden = true;
    ui.notePanel.hidden = true;
  }

  function saveNote() {
    const text = ui.noteInput.value.trim();
    if (!text) return;
    ui.noteInput.value = '';
    ui.notePanel.hidden = true;
    report({kind: 'note', text: text.slice(0, 2000)}).then(() => setStatus(W.noted));
  }

  // ------------------------------------------------------------------ hiding an element

  function startPicking() {
    closePanels();
    picking = true;
    ui.glass.hidden = false;
    setStatus(W.picking);
  }

  function stopPicking(status) {
    picking = false;
    ui.glass.hidden = true;
    setStatus(status);
  }

  const stableId = (id) => !!id && /^[A-Za-z][\w-]{0,60}$/.test(id) && !/\d{3,}/.test(id);

  // A selector that finds exactly this element now: its id, a distinctive attribute, else its path.
  function selectorFor(el) {
    const alone = (css) => { try { return document.querySelectorAll(css).length === 1; } catch (e) { return false; } };
    if (stableId(el.id) && alone('#' + CSS.escape(el.id))) return '#' + CSS.escape(el.id);
    const tag = el.tagName.toLowerCase();
    for (const attr of ['name', 'data-testid', 'aria-label', 'title']) {
      const value = el.getAttribute(attr);
      if (value && value.length <= 60) {
        const css = `${tag}[${attr}="${CSS.escape(value)}"]`;
        if (alone(css)) return css;
      }
    }
    const steps = [];
    for (let node = el; node && node.nodeType === 1 && node !== document.documentElement; node = node.parentElement) {
      if (stableId(node.id) && alone('#' + CSS.escape(node.id))) { steps.unshift('#' + CSS.escape(node.id)); break; }
      const t = node.tagName.toLowerCase();
      const same = node.parentElement ? Array.from(node.parentElement.children).filter((c) => c.tagName === node.tagName) : [node];
      steps.unshift(same.length > 1 ? `${t}:nth-of-type(${same.indexOf(node) + 1})` : t);
    }
    return steps.join(' > ');
  }

  function pickAt(x, y) {
    const el = document.elementsFromPoint(x, y).find((n) => n !== host && n !== document.documentElement &&
                                                          n !== document.body);
    if (!el) return;
    report({kind: 'sensitive', css: selectorFor(el), label: (el.getAttribute('aria-label') || el.tagName).slice(0, 40)});
    stopPicking(W.picked);
  }

  // ------------------------------------------------------------------ the toolbar

  function showState(state) {
    if (!ui.count) return;
    if (typeof state.steps === 'number') host.dataset.steps = String(state.steps);
    if (typeof state.armed === 'boolean') host.dataset.armed = state.armed ? '1' : '0';
    if (typeof state.pending === 'number') host.dataset.pending = String(state.pending);
    if (typeof state.seen === 'string') host.dataset.seen = state.seen;
    if (state.marked) setStatus(W.marked + W.screens[state.marked]);
    else if (state.armed === true) setStatus(W.armedTip);
    render();
  }

  function render() {
    ui.count.textContent = host.dataset.steps || '0';
    const armed = host.dataset.armed === '1';
    ui.submit.textContent = armed ? W.submitArmed : W.submit;
    ui.submit.classList.toggle('armed', armed);
  }

  function setStatus(text) {
    ui.status.textContent = text;
    ui.status.hidden = !text;
  }

  const CSS_TEXT = `
    :host { all: initial; }
    .bar { position: fixed; top: 4px; right: 4px; z-index: 2147483647; max-width: min(420px, 96vw);
      font: 11px/1.35 -apple-system, "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #fff;
      pointer-events: none; display: flex; flex-direction: column; align-items: flex-end; gap: 3px; }
    .bar.bottom { top: auto; bottom: 4px; flex-direction: column-reverse; }
    .row { display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: center; gap: 4px;
      background: rgba(20, 20, 28, .9); border-radius: 8px; padding: 3px 4px; box-shadow: 0 2px 10px rgba(0,0,0,.35);
      pointer-events: auto; }
    .rec { color: #69db7c; font-weight: 600; padding: 0 2px; }
    .status { background: rgba(20, 20, 28, .9); border-radius: 6px; padding: 4px 6px; max-width: 100%; }
    button { padding: 4px 6px; border-radius: 5px; border: 0; font: inherit; cursor: pointer; white-space: nowrap;
      background: #f1f3f5; color: #222; }
    button[data-act=submit] { background: #fff3bf; }
    button[data-act=submit].armed { background: #e03131; color: #fff; font-weight: 600; }
    input { font: inherit; padding: 3px 5px; border-radius: 4px; border: 0; width: 220px; }
    .glass { position: fixed; inset: 0; z-index: 2147483646; cursor: crosshair; background: rgba(0, 0, 0, .08); }
    [hidden] { display: none !important; }`;

  function mount() {
    if (host && host.isConnected) return;
    if (!host) {
      host = document.createElement(HOST_TAG);
      shadow = host.attachShadow({mode: 'closed'});
      const screens = Object.entries(W.screens)
        .map(([key, label]) => `<button type="button" data-act="screen" data-screen="${key}">${label}</button>`).join('');
      shadow.innerHTML = `<style>${CSS_TEXT}</style><div class="glass" hidden></div>
        <div class="bar" role="toolbar" aria-label="closure-assistant witness">
          <div class="row">
            <span class="rec">● ${W.rec} <span class="count">0</span> ${W.steps}</span>
            <button type="button" data-act="submit"></button>
            <button type="button" data-act="mark">${W.mark}</button>
            <button type="button" data-act="hide">${W.hide}</button>
            <button type="button" data-act="note">${W.note}</button>
            <button type="button" data-act="finish">${W.finish}</button>
            <button type="button" data-act="flip" title="${W.flip}" aria-label="${W.flip}">⇅</button>
          </div>
          <div class="row screens" hidden>${screens}</div>
          <div class="row note" hidden><input type="text" maxlength="2000" placeholder="${W.notePlaceholder}">
            <button type="button" data-act="save">${W.save}</button></div>
          <div class="status">${W.tip}</div>
        </div>`;
      ui = {glass: shadow.querySelector('.glass'), bar: shadow.querySelector('.bar'), count: shadow.querySelector('.count'),
        submit: shadow.querySelector('[data-act=submit]'), screens: shadow.querySelector('.screens'),
        notePanel: shadow.querySelector('.note'), noteInput: shadow.querySelector('.note input'),
        status: shadow.querySelector('.status')};
      // The tool sets these after each capture; the toolbar follows.
      new MutationObserver(render).observe(host, {attributes: true, attributeFilter: ['data-steps', 'data-armed']});
    }
    document.documentElement.appendChild(host);
    // A phone site keeps its tab bar (我的) at the bottom, a desktop site its account menu at the top right.
    if (OPTIONS.bottom) ui.bar.classList.add('bottom');
    render();
  }

  function whenReady() {
    mount();
    report({kind: 'hello'});  // the tool's state for this new page (steps so far, the submit armed)
    new MutationObserver(() => { if (!host.isConnected) mount(); })
      .observe(document.documentElement, {childList: true});
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenReady);
  else whenReady();
})();
