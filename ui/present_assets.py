"""The Present page's style sheets and its keyboard script (text only: no streamlit import).

The style puts a story step on one projector screen (title, caption, four KPI tiles and two charts in view
at 1280×720 and 1920×1080; nothing clipped at 1024×768) and keeps every text at a contrast of at least
4.5:1 (WCAG AA) in light and dark; tests/e2e/test_present_browser.py measures both.

The script makes the page clicker-proof: one keydown listener on the document, in the capture phase, so
it sees a key before the focused control (the dark toggle, the story list, a button) can use it.
"""

from __future__ import annotations

# The text colours, each ≥ 4.5:1 on its background (light: white and the tiles' tints; dark: #0f1217,
# #171b22). Opacity is never used to soften text: it lowers the contrast a projector already lowers.
LIGHT_CSS = """<style>
[data-testid="stMainBlockContainer"], .block-container { padding-top: 0.7rem !important; padding-bottom: 0.5rem
  !important; }
[data-testid="stHeader"], [data-testid="stHeader"] div { background: transparent !important; pointer-events: none
  !important; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a { pointer-events: auto !important; }
.st-key-present_bar { gap: 0.4rem; }
.st-key-present_bar [data-testid="stMarkdownContainer"] p { font-size: 1.05rem; }
.st-key-present_bar button p { white-space: normal !important; line-height: 1.15; }
.st-key-present_stage { gap: 0.4rem; }
.st-key-present_stage [data-testid="stElementContainer"], .st-key-present_stage [data-testid="stLayoutWrapper"],
.st-key-present_stage [data-testid="stVerticalBlock"] { flex-shrink: 0 !important; }
.st-key-present_stage [data-testid="stHorizontalBlock"] { gap: 0.8rem; }
.st-key-present_stage h1 { font-size: clamp(1.6rem, 2.6vw, 2.6rem) !important; line-height: 1.15; padding: 0.1rem 0
  0 !important; }
.st-key-present_caption p { font-size: clamp(1.05rem, 1.45vw, 1.55rem) !important; line-height: 1.38; margin-bottom:
  0; }
.st-key-present_changes { border-left: 6px solid #b45309; background: #fff6e0; padding: 0.35rem 0.9rem;
  border-radius: 6px; }
.st-key-present_changes p, .st-key-present_changes li { font-size: clamp(0.9rem, 1.05vw, 1.25rem) !important;
  margin-bottom: 0; line-height: 1.3; color: #1b1f24; }
.st-key-present_changes ul { margin-bottom: 0; }
.st-key-present_banner p, .st-key-present_banner_replay p { font-size: 1rem !important; margin: 0; color: #374151
  !important; }
.st-key-present_kpis .nq-kpis { grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; margin: 0; }
.st-key-present_kpis .nq-kpi { padding: 5px 12px 6px; min-width: 0; border-color: #9aa3ad; }
.st-key-present_kpis .nq-label { font-size: clamp(0.9rem, 1.1vw, 1.2rem); opacity: 1; color: #1b1f24; line-height:
  1.2; }
.st-key-present_kpis .nq-value { font-size: clamp(1.5rem, 2.4vw, 2.8rem); white-space: normal; overflow-wrap:
  anywhere;
  line-height: 1.1; margin: 0 0 2px; }
.st-key-present_kpis .nq-value small { font-size: 0.5em; opacity: 1; color: #374151; white-space: normal; }
.st-key-present_kpis .nq-delta { font-size: clamp(0.85rem, 1vw, 1.15rem); margin-bottom: 2px; }
/* the Simulate page's compact cards cut long lines short; a projector tile wraps them instead */
.st-key-present_kpis .nq-label, .st-key-present_kpis .nq-delta, .st-key-present_kpis .nq-status {
  white-space: normal; overflow: visible; text-overflow: clip; }
.st-key-present_kpis .nq-delta span { opacity: 1; }
.st-key-present_kpis .nq-badge, .st-key-present_kpis .nq-target { font-size: clamp(0.85rem, 1vw, 1.1rem); }
.nq-up { color: #166534 !important; } .nq-down { color: #a61b12 !important; } .nq-flat { color: #374151 !important; }
.nq-met { background: #dcf2e3 !important; color: #14532d !important; }
.nq-unmet { background: #fde5e2 !important; color: #8f1a10 !important; }
.nq-none { background: #eceff3 !important; color: #374151 !important; }
.st-key-present_charts .stPlotlyChart, .st-key-present_charts .js-plotly-plot,
.st-key-present_charts [data-testid="stFullScreenFrame"],
.st-key-present_charts [data-testid="stElementContainer"]:has(.stPlotlyChart) {
  height: calc(var(--nq-chart-h, 320px) - 2.3rem) !important; min-height: 0 !important; flex: 0 0 auto !important; }
.st-key-present_stage [data-testid="stMarkdownContainer"], .st-key-present_stage [data-testid="stMarkdown"] > div {
  margin-bottom: 0 !important; }
.st-key-present_charts h3 { font-size: clamp(1.05rem, 1.35vw, 1.5rem) !important; padding: 0 !important;
  line-height: 1.3; }
.st-key-present_charts [data-testid="stVerticalBlock"] { gap: 0.2rem; }
.st-key-present_hint p, .st-key-present_stamp p { font-size: 0.85rem !important; color: #374151 !important; margin:
  0; }
.st-key-present_notes p { font-size: 1.5rem !important; line-height: 1.5; }
.st-key-present_timer p { font-size: 2.6rem !important; font-weight: 600; font-variant-numeric: tabular-nums; }
[data-testid="stSidebarNav"] span, .stApp [data-testid="stIconMaterial"] { color: #1b1f24 !important; }
[data-testid="stCaptionContainer"] { color: #374151 !important; opacity: 1 !important; }
/* the chosen option of a segmented control (view, language): Streamlit's red on its pink is about 4.2:1 */
[data-testid="stButtonGroup"] button[aria-checked="true"], [data-testid="stButtonGroup"] button[aria-checked="true"]
  * {
  color: #a1162b !important; }
</style>"""

DARK_CSS = """<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stHeader"],
[data-testid="stBottomBlockContainer"] { background-color: #0f1217 !important; color: #eef0f3 !important; }
[data-testid="stSidebar"], [data-testid="stSidebarContent"] { background-color: #171b22 !important; }
.stApp p, .stApp li, .stApp h1, .stApp h2, .stApp h3, .stApp label, .stApp summary, .stApp span,
[data-testid="stMetricValue"], [data-testid="stCaptionContainer"] { color: #eef0f3 !important; }
[data-testid="stSidebarNav"] span, [data-testid="stSidebarNav"] [data-testid="stIconMaterial"],
[data-testid="stHeader"] [data-testid="stIconMaterial"], .stApp [data-testid="stIconMaterial"] { color: #eef0f3
  !important; }
.stApp [data-baseweb="select"] div, .stApp [data-baseweb="input"], .stApp input {
  background-color: #1f252e !important; color: #eef0f3 !important; }
.stApp button { background-color: #1f252e !important; color: #eef0f3 !important; border-color: #5b6573 !important; }
.stApp button:disabled, .stApp button:disabled p { color: #b8bec6 !important; }
.stApp button[aria-checked="true"], .stApp button[aria-checked="true"] * { border-color: #ff9d90 !important;
  color: #ff9d90 !important; }
[data-testid="stSkipToContent"] { background-color: #1f252e !important; color: #9cc7ff !important; }
.st-key-present_changes { background: #2a2413 !important; border-left-color: #f5a623 !important; }
.st-key-present_changes p, .st-key-present_changes li { color: #eef0f3 !important; }
.st-key-present_banner p, .st-key-present_hint p, .st-key-present_stamp p,
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  color: #c9ced6 !important; opacity: 1 !important; }
.st-key-present_kpis .nq-kpi { background: #171b22; border-color: #5b6573; }
.st-key-present_kpis .nq-label, .st-key-present_kpis .nq-value, .st-key-present_kpis .nq-target { color: #eef0f3
  !important; }
.st-key-present_kpis .nq-value small { color: #c9ced6 !important; }
.nq-up { color: #7ee2a8 !important; } .nq-down { color: #ffaaa0 !important; } .nq-flat { color: #c9ced6 !important; }
.nq-up span, .nq-down span, .nq-flat span { color: inherit !important; }
.stApp span.nq-met { background: #15391f !important; color: #8ff0b0 !important; }
.stApp span.nq-unmet { background: #4a1713 !important; color: #ffc2ba !important; }
.stApp span.nq-none { background: #262c35 !important; color: #dfe3e8 !important; }
.stApp table, .stApp th, .stApp td { color: #eef0f3 !important; border-color: #3a424d !important; }
.stApp th { background-color: #1f252e !important; }
[data-testid="stExpander"] details { background-color: #141820 !important; border-color: #3a424d !important; }
.stApp [data-testid="stMarkdownContainer"] span[class*="Colored"] { filter: none; }
</style>"""

# Installed once per browser tab (a flag on window): later runs of the page find it in place. It acts only
# while the Present page is on screen (its Next button exists) and never while a text field has the focus.
KEYS_JS = """<script>
(function () {
  const doc = document;
  if (window.__nq57PresentKeys) return;
  window.__nq57PresentKeys = true;
  const blank = () => {
    let el = doc.getElementById('nq57-blank');
    if (!el) {
      el = doc.createElement('div');
      el.id = 'nq57-blank';
      el.setAttribute('data-testid', 'present-blank');
      el.style.cssText = 'position:fixed;inset:0;background:#000;z-index:2147483647;display:none;cursor:none';
      el.addEventListener('click', () => { el.style.display = 'none'; });
      doc.body.appendChild(el);
    }
    return el;
  };
  const typing = (t) => {
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || t.tagName === 'TEXTAREA') return true;
    if (t.tagName !== 'INPUT') return false;
    // the story list: its keys are free once its menu is closed (after a story was chosen)
    if (t.getAttribute('role') === 'combobox') return t.getAttribute('aria-expanded') === 'true';
    return !['checkbox', 'radio', 'button', 'range', 'submit'].includes(t.type);
  };
  const running = () => !!doc.querySelector('[data-testid="stApp"][data-test-script-state="running"]');
  const press = (key, tries = 0) => {
    // The key waits (≤ 10 s) while the page runs, since a click on a fragment's button during a run can be
    // dropped, and while the button is not drawn: the toolbar draws its buttons again when its width changes
    // (the sidebar folding away as the page opens), and a key pressed in that instant would be lost.
    const b = doc.querySelector('.st-key-' + key + ' button');
    if ((running() || !b) && tries < 200) { setTimeout(() => press(key, tries + 1), 50); return; }
    if (b && !b.disabled) b.click();
  };
  const actions = {
    PageDown: () => press('present_next'), ArrowRight: () => press('present_next'),
    PageUp: () => press('present_prev'), ArrowLeft: () => press('present_prev'),
    b: () => { const el = blank(); el.style.display = el.style.display === 'none' ? 'block' : 'none'; },
    f: () => {
      if (doc.fullscreenElement) doc.exitFullscreen();
      else if (doc.documentElement.requestFullscreen) doc.documentElement.requestFullscreen().catch(() => {});
    },
    Escape: () => { blank().style.display = 'none'; if (doc.fullscreenElement) doc.exitFullscreen(); },
  };
  actions.B = actions.b; actions['.'] = actions.b; actions.F = actions.f;
  doc.addEventListener('keydown', (e) => {
    if (!doc.querySelector('.st-key-present_next') || e.ctrlKey || e.altKey || e.metaKey) return;
    const act = actions[e.key];
    if (!act || typing(e.target)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    // the control keeps no focus: the next key is ours again and the page does not scroll
    if (doc.activeElement && doc.activeElement !== doc.body) doc.activeElement.blur();
    act();
  }, true);
})();
</script>"""

# Run when the page is entered (its text carries the run's number, so Streamlit runs it again). It is the
# page's first element: the sidebar is folded at once (no sliding) before the tiles and charts are drawn, so
# they are drawn at the width they keep (a chart drawn before the fold would be drawn again).
COLLAPSE_SIDEBAR_JS = """<style>[data-testid="stSidebar"] { transition: none !important; }</style>
<script>
(function () {
  const doc = document;
  let tries = 0;
  const fold = () => {
    const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (button) {
      if (button.getAttribute('aria-expanded') === 'true') button.click();
    } else if (++tries < 100) {  // the header's button can take seconds to appear on a busy machine
      setTimeout(fold, 100);
    }
  };
  fold();
})(/*NONCE*/);
</script>"""

# Fits the charts to the screen: their row gets the height left between the tiles and the stamp under it
# (at least 240 px). Each chart drawn at another height is drawn again, so the height is set as soon as
# the tiles of a step are drawn, before its charts arrive (from the row's last distance to the tiles and
# the stamp's last height until they are drawn); a chart is told to redraw (a window resize) only once the
# run has finished, and only if it was drawn at another size.
FIT_JS = """<script>
(function () {
  const doc = document;
  const last = window.__nq57Last || (window.__nq57Last = { gap: 7, stamp: 22 });
  const running = () => !!doc.querySelector('[data-testid="stApp"][data-test-script-state="running"]');
  const fit = () => {
    const row = doc.querySelector('.st-key-present_charts');
    const kpis = doc.querySelector('.st-key-present_kpis');
    if (!row && !kpis) return;
    const stamp = doc.querySelector('.st-key-present_stamp');
    if (stamp) last.stamp = stamp.getBoundingClientRect().height;
    const tiles = kpis ? kpis.getBoundingClientRect().bottom : null;
    if (row && tiles !== null) last.gap = row.getBoundingClientRect().top - tiles;
    // the row's place on the page, not on the screen: scrolling (the main area scrolls, not the window) must
    // not make the charts taller, or the meeting-pack box under them would move away from the pointer
    let scrolled = window.scrollY;
    for (let el = (row || kpis).parentElement; el; el = el.parentElement) scrolled += el.scrollTop;
    const top = (row ? row.getBoundingClientRect().top : tiles + last.gap) + scrolled;
    const h = Math.max(240, Math.floor(window.innerHeight - top - last.stamp - 14));
    const root = doc.documentElement;
    const now = parseFloat(root.style.getPropertyValue('--nq-chart-h'));
    // a few pixels are not worth drawing both charts again (the stamp has a margin of 14)
    if (!(Math.abs(now - h) <= 3)) root.style.setProperty('--nq-chart-h', h + 'px');
    if (!row || running()) return;
    const wrong = [...row.querySelectorAll('.js-plotly-plot')].some((p) => p._fullLayout && (
      Math.abs(p._fullLayout.height - p.clientHeight) > 3 || Math.abs(p._fullLayout.width - p.clientWidth) > 3));
    if (wrong) {
      window.__nq57Fitting = true;  // plotly's responsive charts resize on a window resize
      window.dispatchEvent(new Event('resize'));
      window.__nq57Fitting = false;
    }
  };
  if (!window.__nq57Fit) {
    window.__nq57Fit = true;
    let pending = false;
    const soon = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; fit(); });
    };
    window.addEventListener('resize', () => { if (!window.__nq57Fitting) fit(); });
    new MutationObserver(soon).observe(doc.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ['data-test-script-state'],
    });
  }
  fit();
})();
</script>"""
