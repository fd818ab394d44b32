"""Page: Phân tích / Analysis. Goal seek, the cheapest budget mix, uncertainty, sensitivity, attribution.

The page is thin: every number comes from :mod:`sim.analysis` (cached in :mod:`ui.analysis_panels`), every
chart from :mod:`sim.views.charts_analysis`; the current scenario is the one the Simulate page's sliders show
(:mod:`ui.state`), and answers go back there through ``state.set_scenario``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim import store
from sim.analysis.attribution import shapley
from sim.analysis.goalseek import GRID_POINTS, SEEK_LEVERS, SeekResult
from sim.analysis.optimize import DEFAULT_CEILING, RULE_METRICS, MixResult, decision_of, mix_targets
from sim.analysis.outcomes import OUTCOMES, TORNADO_OUTCOMES
from sim.analysis.sensitivity import LEVER_SWINGS
from sim.engine import run
from sim.errors import InputError
from sim.fmt import money, number
from sim.params import schema
from sim.scenario import Scenario, baseline, describe_changes
from sim.targets import evaluate_all
from sim.views.charts_analysis import seek_chart, sobol_chart, tornado_chart, waterfall_chart
from sim.views.scorecard import MARKS
from ui import state
from ui.analysis_panels import (
    mix_cached,
    seek_cached,
    sobol_cached,
    spread_rows,
    tornado_cached,
    uncertainty_panel,
)
from ui.figures import CONFIG, figure
from ui.i18n import _, lang, tr

SIMULATE_PAGE = "ui/page_simulate.py"

L = lang()
scenario = state.current_scenario()
shown = state.shown_scenario()
prof = scenario.profile
params = schema()

st.title(tr("Phân tích quyết định", "Decision analysis"))
changes = describe_changes(scenario, L)
st.caption(
    tr("Kịch bản đang xét: ", "Scenario analysed: ")
    + f"**{shown.name(L)}** · {prof.name(L)}"
    + (" · " + "; ".join(changes) if changes else tr(" · mọi giá trị mặc định", " · every default"))
)


def _plot(spec: dict, key: str) -> None:
    st.plotly_chart(figure(spec), key=key, config=CONFIG, theme=None)


def _lever_value_text(pid: str, v: float) -> str:
    p = params[pid]
    decimals = 3 if (p.step or 1) < 0.1 else 2
    return f"{number(v, L, decimals)} {p.unit(L)}"


def _target_value_text(unit: str, v: float) -> str:
    decimals = 0 if abs(v) >= 1000 else 2
    return f"{number(v, L, decimals)} {unit}"


tab_seek, tab_mix, tab_unc, tab_sens, tab_attr = st.tabs(
    [
        tr("Tìm mục tiêu", "Goal seek"),
        tr("Phương án rẻ nhất", "Cheapest mix"),
        tr("Bất định", "Uncertainty"),
        tr("Độ nhạy", "Sensitivity"),
        tr("Phân rã chênh lệch", "Attribution"),
    ]
)

# ---------------------------------------------------------------- goal seek

with tab_seek:
    st.markdown(
        tr(
            "Chọn một mục tiêu và một đòn bẩy: công cụ tìm **giá trị nhỏ nhất** của đòn bẩy (trong phạm vi cho "
            "phép) để đạt mục tiêu, các giá trị khác của kịch bản giữ nguyên.",
            "Pick a target and a lever: the tool finds the **smallest value** of the lever (within its allowed "
            "range) that meets the target, everything else in the scenario kept.",
        )
    )
    c1, c2, c3 = st.columns([3, 3, 2])
    target_ids = [t.id for t in prof.targets]
    tid = c1.selectbox(
        tr("Mục tiêu", "Target"),
        target_ids,
        format_func=lambda i: prof.target(i).label(L),
        key="an_seek_target",
    )
    lever = c2.selectbox(
        tr("Đòn bẩy", "Lever"),
        SEEK_LEVERS,
        format_func=lambda p: f"{params[p].label(L)} ({params[p].unit(L)})",
        key="an_seek_lever",
    )
    ramp = c3.toggle(
        tr("Tăng dần đến năm", "Ramp up to a year"),
        key="an_seek_ramp",
        help=tr(
            "Tắt: một mức cố định từ năm sau năm gốc. Bật: tăng đều từ mức năm gốc đến giá trị cần tìm ở năm chọn.",
            "Off: one flat value from the year after the base year. On: a straight line from the base-year value "
            "to the answer in the chosen year.",
        ),
    )
    ramp_year = None
    if ramp:
        ramp_year = int(
            c3.number_input(
                tr("Năm đạt", "Year reached"),
                min_value=prof.base_year + 1,
                max_value=prof.horizon,
                value=min(2030, prof.horizon),
                step=1,
                key="an_seek_ramp_year",
            )
        )
    try:
        sr: SeekResult | None = seek_cached(scenario, tid, lever, ramp_year)
    except InputError as exc:
        st.error(str(exc))
        sr = None
    if sr is not None:
        t = sr.target
        how = (
            tr(f"giữ nguyên từ {prof.base_year + 1}", f"flat from {prof.base_year + 1}")
            if ramp_year is None
            else tr(f"tăng dần đến năm {ramp_year}", f"reached in {ramp_year}")
        )
        if sr.reachable and sr.value is not None:
            st.success(
                tr(
                    f"Cần tối thiểu **{_lever_value_text(lever, sr.value)}** ({how}) để đạt «{t.label(L)}»: "
                    f"đạt {_target_value_text(t.unit, sr.reached)}.",
                    f"It takes at least **{_lever_value_text(lever, sr.value)}** ({how}) to meet «{t.label(L)}»: "
                    f"{_target_value_text(t.unit, sr.reached)}.",
                ),
                icon=":material/target:",
            )
            if sr.value <= sr.low:
                st.info(
                    tr("Mục tiêu đã đạt ngay ở mức thấp nhất.", "The target is met even at the bottom of the range.")
                )
            if sr.met_up_to is not None:
                st.info(
                    tr(
                        f"Mục tiêu chỉ đạt đến {_lever_value_text(lever, sr.met_up_to)}; cao hơn thì không đạt "
                        "(ví dụ: chi công nhiều hơn làm giảm tỷ trọng R&D ngoài nhà nước).",
                        f"The target holds only up to {_lever_value_text(lever, sr.met_up_to)}; above that it is "
                        "missed (e.g. more public R&D lowers the non-state share).",
                    )
                )
            if st.button(
                tr(
                    f"Áp dụng {_lever_value_text(lever, sr.slider_value or sr.value)} vào thanh trượt",
                    f"Apply {_lever_value_text(lever, sr.slider_value or sr.value)} to the sliders",
                ),
                key="an_seek_apply",
                type="primary",
                icon=":material/tune:",
            ):
                state.set_scenario(sr.apply())
                st.switch_page(SIMULATE_PAGE)
        else:
            msg = tr(
                f"Không thể đạt «{t.label(L)}» với đòn bẩy này: ngay ở mức cao nhất "
                f"({_lever_value_text(lever, sr.high)}) chỉ đạt {_target_value_text(t.unit, sr.at_top)} "
                f"(mục tiêu {_target_value_text(t.unit, t.value)}).",
                f"«{t.label(L)}» is unreachable with this lever: even at the top of its range "
                f"({_lever_value_text(lever, sr.high)}) it reaches {_target_value_text(t.unit, sr.at_top)} "
                f"(target {_target_value_text(t.unit, t.value)}).",
            )
            if sr.best > sr.at_top + 1e-9 * max(1.0, abs(sr.at_top)):
                msg += tr(
                    f" Tốt nhất trong phạm vi: {_target_value_text(t.unit, sr.best)} tại "
                    f"{_lever_value_text(lever, sr.best_at)}.",
                    f" The best within the range: {_target_value_text(t.unit, sr.best)} at "
                    f"{_lever_value_text(lever, sr.best_at)}.",
                )
            st.warning(msg, icon=":material/warning:")
        _plot(seek_chart(sr, L), "an_seek_chart")
        st.caption(
            _(
                "Method: the target is computed for {n} evenly spaced lever values in one vectorised run, the first "
                "value that meets it is refined with Brent's method. Safe even where the target is not monotone in "
                "the lever. The lever's path in the scenario is replaced by the flat value or the ramp."
            ).format(n=number(GRID_POINTS, L))
        )

# ---------------------------------------------------------------- cheapest mix

DECISION_LABELS = {
    "envelope_first": (
        f"Ngân sách KH,CN,ĐMST&CĐS năm {prof.base_year + 1} (% chi ngân sách)",
        f"S&T/DX envelope in {prof.base_year + 1} (% of budget spending)",
    ),
    "envelope_2030": ("Ngân sách KH,CN,ĐMST&CĐS năm 2030 (% chi ngân sách)", "S&T/DX envelope in 2030 (% of budget)"),
    "rd_share": ("Tỷ trọng R&D trong ngân sách (%)", "R&D share of the envelope (%)"),
    "enterprise_2030": ("R&D doanh nghiệp năm 2030 (% GRDP)", "Enterprise R&D in 2030 (% of GRDP)"),
}


def _mix_table(mix: MixResult, current: dict[str, float], cur_values: dict[str, float]) -> pd.DataFrame:
    col_cur = tr("Kịch bản hiện tại", "Current scenario")
    col_mix = tr("Phương án rẻ nhất", "Cheapest mix") if mix.feasible else tr("Phương án gần nhất", "Closest mix")
    rows = []
    for k, (vi, en) in DECISION_LABELS.items():
        rows.append({"": tr(vi, en), col_cur: number(current[k], L, 3), col_mix: number(mix.decision[k], L, 3)})
    rows.append(
        {
            "": tr("Tổng chi 2025-2030 (giá năm gốc)", "Spending 2025-2030 (base-year prices)"),
            col_cur: money(mix.current_cost_real, L),
            col_mix: money(mix.cost_real, L),
        }
    )
    for c in mix.checks:
        t = c.target
        status = MARKS[c.met]  # marks Debian's default fonts draw (emoji showed as empty boxes)
        rows.append(
            {
                "": f"{t.label(L)} ({tr('mục tiêu', 'target')} {_target_value_text(t.unit, t.value)})",
                col_cur: _target_value_text(t.unit, cur_values[t.id]),
                col_mix: f"{status} {_target_value_text(t.unit, c.value)}"
                + (tr(" · ràng buộc chặt", " · binding") if c.binding and c.met else ""),
            }
        )
    return pd.DataFrame(rows)


with tab_mix:
    st.markdown(
        tr(
            "Tìm đường ngân sách KH,CN,ĐMST&CĐS (năm đầu và 2030, không giảm), tỷ trọng R&D và mức huy động R&D "
            "doanh nghiệp có **tổng chi ngân sách 2025-2030 thấp nhất (giá năm gốc)** mà vẫn đạt mọi mục tiêu năm "
            "2030 đã chọn và các quy tắc: không thấp hơn mức Trung ương giao, không giảm qua các năm, ≥ 60 % R&D "
            "ngoài nhà nước.",
            "Finds the S&T/DX envelope path (first year and 2030, never falling), the R&D share and the enterprise "
            "R&D mobilisation with the **least public spending 2025-2030 (base-year prices)** that still meets "
            "every chosen 2030 target and the rules: at or above the central floor, never falling, ≥ 60 % "
            "non-state R&D.",
        )
    )
    c1, c2 = st.columns([1, 2])
    ceiling = c1.number_input(
        tr("Trần huy động R&D doanh nghiệp năm 2030 (% GRDP)", "Ceiling on enterprise R&D in 2030 (% of GRDP)"),
        min_value=0.0,
        max_value=float(params["enterprise_rd_intensity"].max or 3.0),
        value=DEFAULT_CEILING,
        step=0.05,
        format="%.2f",
        key="an_mix_ceiling",
        help=tr(
            "R&D doanh nghiệp không tốn ngân sách trong mô hình, nên cần một mức trần hợp lý. Cả nước: tổng R&D "
            "0,42 % GDP (2021), trong đó ngoài nhà nước khoảng một nửa.",
            "Enterprise R&D costs the budget nothing in the model, so a plausible ceiling is needed. Nationally, "
            "total R&D was 0.42 % of GDP (2021), about half of it non-state.",
        ),
    )
    optional = [t for t in mix_targets(prof) if t.metric not in RULE_METRICS]
    keep = c2.multiselect(
        tr("Mục tiêu năm 2030 cần đạt (các quy tắc luôn áp dụng)", "2030 targets to meet (the rules always apply)"),
        [t.id for t in optional],
        default=[t.id for t in optional],
        format_func=lambda i: prof.target(i).label(L),
        key="an_mix_keep",
    )
    try:
        mix: MixResult | None = mix_cached(scenario, float(ceiling), tuple(keep))
    except InputError as exc:
        st.error(str(exc))
        mix = None
    if mix is not None:
        cur_values = {tr_.id: float(tr_.value[0]) for tr_ in evaluate_all(run(scenario), prof)}
        if mix.feasible:
            st.success(
                tr(
                    f"Phương án rẻ nhất: tổng chi 2025-2030 **{money(mix.cost_real, L)}** (giá năm gốc), so với "
                    f"{money(mix.current_cost_real, L)} của kịch bản hiện tại.",
                    f"Cheapest mix: spending 2025-2030 of **{money(mix.cost_real, L)}** (base-year prices), against "
                    f"{money(mix.current_cost_real, L)} for the current scenario.",
                ),
                icon=":material/savings:",
            )
        else:
            lines = [
                tr("**Không có phương án nào trong phạm vi đạt mọi ràng buộc.**", "**No mix within the ranges meets "
                   "every constraint.**")
            ]  # fmt: skip
            for t, best in mix.unreachable_alone:
                lines.append(
                    tr(
                        f"- «{t.label(L)}»: tối đa {_target_value_text(t.unit, best)} ngay cả khi chỉ xét riêng "
                        f"mục tiêu này (mục tiêu {_target_value_text(t.unit, t.value)}).",
                        f"- «{t.label(L)}»: at most {_target_value_text(t.unit, best)} even on its own "
                        f"(target {_target_value_text(t.unit, t.value)}).",
                    )
                )
            for c in mix.violated:
                lines.append(
                    tr(
                        f"- Phương án gần nhất thiếu «{c.target.label(L)}» "
                        f"{_target_value_text(c.target.unit, -c.slack)}.",
                        f"- The closest mix misses «{c.target.label(L)}» by "
                        f"{_target_value_text(c.target.unit, -c.slack)}.",
                    )
                )
            if mix.feasible_without:
                names = "; ".join(f"«{t.label(L)}»" for t in mix.feasible_without)
                lines.append(
                    tr(
                        f"- Bỏ một trong các ràng buộc sau thì có phương án: {names}.",
                        f"- Dropping any one of these would leave a feasible mix: {names}.",
                    )
                )
            st.error("\n".join(lines))
        st.dataframe(_mix_table(mix, decision_of(scenario), cur_values), hide_index=True, key="an_mix_table")
        b1, b2 = st.columns(2)
        if mix.feasible:
            if b1.button(
                tr("Lưu phương án này thành kịch bản", "Save this mix as a scenario"),
                key="an_mix_save",
                icon=":material/save:",
            ):
                try:
                    sid = store.save_new(mix.scenario)
                except (InputError, OSError) as exc:
                    st.error(tr("Chưa lưu được: ", "Not saved: ") + str(exc))
                else:
                    saved = store.load(sid).name(L)
                    st.success(tr(f"Đã lưu «{saved}» vào thư viện kịch bản.", f"Saved «{saved}» to the library."))
            if b2.button(
                tr("Mở trong trang Mô phỏng", "Open in the Simulate page"), key="an_mix_open", icon=":material/tune:"
            ):
                state.set_scenario(mix.scenario)
                st.switch_page(SIMULATE_PAGE)
        st.caption(
            tr(
                "Cách tìm: lưới thô khoảng 12.700 phương án trong một lần chạy véc-tơ, rồi tinh chỉnh những phương "
                "án tốt nhất bằng SLSQP (scipy). Giả định và quy tắc của kịch bản giữ nguyên; sau 2030 ngân sách giữ "
                "mức 2030.",
                "Method: a coarse grid of about 12,700 mixes in one vectorised run, the best of them refined with "
                "SLSQP (scipy). The scenario's assumptions and rule mode are kept; after 2030 the envelope stays at "
                "its 2030 share.",
            )
        )

# ---------------------------------------------------------------- uncertainty

with tab_unc:
    uncertainty_panel(scenario, L, key="an_unc")
    with st.expander(tr("Phân bố của từng giả định", "Each assumption's distribution")):
        st.markdown(
            _(
                "Each assumption gets a random shift (triangular, peaking at 0, between the lowest and highest "
                "shift), clipped to its allowed range; the R&D lag is rounded. On a yearly path the shift grows in a "
                "straight line from zero in the base year (history) to its full size in 2030. Shifts of growth, "
                "budget/GRDP and population growth are scaled to this region's own base-year level. The "
                "assumptions are independent. Bounds follow the literature in the source column; where it says "
                "'assumption' they are a judgement."
            )
        )
        st.dataframe(pd.DataFrame(spread_rows(L, scenario.profile)), hide_index=True, key="an_unc_spreads")

# ---------------------------------------------------------------- sensitivity

with tab_sens:
    oid = st.selectbox(
        tr("Kết quả cần xem", "Outcome"),
        TORNADO_OUTCOMES,
        format_func=lambda o: OUTCOMES[o].label(L),
        key="an_tornado_outcome",
    )
    try:
        _plot(tornado_chart(tornado_cached(scenario, oid), L), "an_tornado_chart")
    except InputError as exc:
        st.error(str(exc))
    swings = ", ".join(f"{params[p].label(L)} ±{number(d, L, 2)} {params[p].unit(L)}" for p, d in LEVER_SWINGS.items())
    st.caption(
        tr(
            f"Mỗi đầu vào được đặt ở mức thấp và mức cao, các đầu vào khác giữ nguyên. Giả định: theo dải bất định. "
            f"Đòn bẩy: {swings}. Thanh trên cùng ảnh hưởng nhiều nhất.",
            f"Each input at its low and high end, all others held. Assumptions: their uncertainty range. "
            f"Levers: {swings}. The top bar matters most.",
        )
    )
    if st.toggle(tr("Chỉ số Sobol (theo phương sai)", "Sobol indices (variance-based)"), key="an_sobol"):
        try:
            sobol_result = sobol_cached(scenario, oid)
            _plot(sobol_chart(sobol_result, L, scenario), "an_sobol_chart")
            # N is the one the indices were computed with, not a number retyped here
            st.caption(
                _(
                    "First-order index: the share of the outcome's variance due to that assumption alone; total "
                    "index: including its interactions with the others (Saltelli 2010 and Jansen estimators, "
                    "N = {n}, the Monte Carlo distributions)."
                ).format(n=number(sobol_result.base_draws, L))
            )
        except InputError as exc:
            st.error(str(exc))

# ---------------------------------------------------------------- attribution

with tab_attr:
    st.markdown(
        tr(
            "Chênh lệch một kết quả giữa hai kịch bản được chia cho từng đầu vào khác nhau theo **giá trị Shapley**: "
            "mỗi đầu vào nhận mức thay đổi trung bình của kết quả khi nó được chuyển từ giá trị của A sang B, lấy "
            "trung bình trên mọi thứ tự chuyển. Các phần cộng lại đúng bằng tổng chênh lệch, không phụ thuộc thứ tự "
            "liệt kê, và phần tương tác được chia đều giữa các đầu vào liên quan. Với tối đa 10 đầu vào khác nhau, "
            "mọi tổ hợp (2^k) đều được tính nên kết quả chính xác.",
            "The difference in an outcome between two scenarios is split among the inputs that differ by their "
            "**Shapley values**: each input gets the average change in the outcome when it is switched from A's "
            "value to B's, averaged over every order of switching. The parts add up exactly to the total, do not "
            "depend on the order the inputs are listed in, and interactions are shared evenly between the inputs "
            "involved. With up to 10 differing inputs every subset (2^k) is run, so the result is exact.",
        )
    )
    options: dict[str, Scenario] = {"__current__": shown, "__baseline__": baseline(scenario.region)}
    for sid, s in state.library(scenario.region).items():
        options[sid] = s
    names = {
        "__current__": tr(f"Hiện tại: {shown.name(L)}", f"Current: {shown.name(L)}"),
        "__baseline__": tr("Kịch bản cơ sở (mặc định)", "Baseline (every default)"),
    }
    ids = list(options)
    # B defaults to the current scenario, or, while that is the plain baseline, to the first one that differs.
    b_default = 0 if scenario.changes else next((i for i, k in enumerate(ids) if options[k].changes), 0)
    c1, c2, c3 = st.columns(3)
    ida = c1.selectbox("A", ids, index=1, format_func=lambda i: names.get(i, options[i].name(L)), key="an_attr_a")
    idb = c2.selectbox(
        "B", ids, index=b_default, format_func=lambda i: names.get(i, options[i].name(L)), key="an_attr_b"
    )
    oid_attr = c3.selectbox(
        tr("Kết quả", "Outcome"),
        list(OUTCOMES),
        format_func=lambda o: OUTCOMES[o].label(L),
        key="an_attr_outcome",
    )
    try:
        at = shapley(options[ida], options[idb], oid_attr)
    except InputError as exc:
        st.error(str(exc))
        at = None
    if at is not None:
        if not at.parts:
            st.info(tr("Hai kịch bản có cùng đầu vào: hãy chọn hai kịch bản khác nhau.", "The two scenarios have "
                       "the same inputs: pick two different ones."))  # fmt: skip
        else:
            _plot(waterfall_chart(at, L), "an_attr_chart")
            unit = at.outcome.unit(L)
            rows = [
                {
                    tr("Đầu vào", "Input"): params[p.pid].label(L),
                    tr(
                        "Đóng góp", "Contribution"
                    ): f"{'+' if p.value >= 0 else '−'}{number(abs(p.value), L, 3)} {unit}",
                    tr("Tỷ phần", "Share"): (
                        f"{number(100 * p.value / at.total, L, 1)} %" if abs(at.total) > 1e-12 else "–"
                    ),
                }
                for p in at.parts
            ]
            st.dataframe(pd.DataFrame(rows), hide_index=True, key="an_attr_table")
