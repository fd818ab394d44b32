"""Page: Dữ liệu & giả định / Data & assumptions.

Where every number comes from: the profile's base-year data with tag and source, the parameter table
built from the one schema (with this profile's defaults), the equations of the model, the targets with
their sources, and the measurement caveats.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.compare import format_value
from sim.engine import run
from sim.params import Parameter, schema
from sim.profiles import Profile, list_profiles, load_profile
from sim.scenario import baseline
from sim.views import fmt
from ui import state
from ui.choices import choice_key, keep
from ui.i18n import lang, tr

# DATA.md's provenance tags: (badge colour, cell colour, Vietnamese, English).
TAGS = {
    "official": ("green", "#dcfce7", "chính thức", "official"),
    "preliminary": ("orange", "#fef3c7", "sơ bộ", "preliminary"),
    "plan": ("blue", "#dbeafe", "kế hoạch", "plan"),
    "derived": ("violet", "#ede9fe", "tính toán", "derived"),
    "assumption": ("red", "#fee2e2", "giả định", "assumption"),
}
# Units as the profile files write them, in Vietnamese.
UNITS_VI = {
    "bn VND": "tỷ đồng",
    "million VND": "triệu đồng",
    "people": "người",
    "% of GRDP": "% GRDP",
    "% of GDP": "% GDP",
    "% of floor": "% mức sàn",
    "% of budget": "% chi ngân sách",
    "%/yr": "%/năm",
}


def tag_text(tag: str) -> str:
    """A provenance tag in the current language (the table cell)."""
    return tr(*TAGS[tag][2:]) if tag in TAGS else tag


def tag_badge(tag: str) -> str:
    """A provenance tag as a coloured Markdown badge."""
    colour = TAGS[tag][0] if tag in TAGS else "gray"
    return f":{colour}-badge[{tag_text(tag)}]"


def unit_text(unit: str) -> str:
    if lang() != "vi":
        return unit
    for en, vi in UNITS_VI.items():
        if unit == en or unit.startswith(en + " "):
            return vi + unit[len(en) :]
    return unit


def show_table(df: pd.DataFrame, key: str, wide: tuple[str, ...] = ()) -> None:
    """A table with its tag column coloured, every row visible, and room for long source texts."""
    colours = {tag_text(t): c for t, (_, c, _, _) in TAGS.items()}
    tag_col = tr("Loại", "Tag")
    styled = df.style
    if tag_col in df.columns:
        styled = styled.map(lambda v: f"background-color: {colours.get(v, 'transparent')}", subset=[tag_col])
    config = {c: st.column_config.TextColumn(width="large") for c in wide if c in df.columns}
    height = 38 + 35 * len(df)
    st.dataframe(styled, hide_index=True, key=key, column_config=config, height=height)


def _value(x: float | str, decimals: int | None = None) -> str:
    if isinstance(x, str):
        return x
    if decimals is None:
        decimals = 0 if abs(x) >= 1000 or float(x).is_integer() else 2
    return fmt.number(x, lang(), decimals)


def base_table(prof: Profile) -> pd.DataFrame:
    """Base-year figures used by the equations, then the other facts shown for context."""
    b = prof.base
    items = [
        (tr(f"GRDP giá hiện hành {prof.base_year}", f"GRDP, current prices, {prof.base_year}"), b.grdp_nominal),
        (tr(f"Tăng trưởng GRDP thực {prof.base_year}", f"Real GRDP growth {prof.base_year}"), b.real_growth),
        (tr(f"Dân số {prof.base_year}", f"Population {prof.base_year}"), b.population),
        (tr("Chi R&D so với GRDP (năm gốc)", "R&D intensity (base year)"), b.rd_intensity),
        (tr("Tỷ trọng kinh tế số (năm gốc)", "Digital-economy share (base year)"), b.digital_share),
    ]
    used = tr("dùng trong mô hình", "used by the model")
    rows = [
        {
            tr("Số liệu", "Item"): item,
            tr("Giá trị", "Value"): _value(d.value),
            tr("Đơn vị", "Unit"): unit_text(d.unit),
            tr("Loại", "Tag"): tag_text(d.tag),
            tr("Nguồn", "Source"): d.source,
            tr("Vai trò", "Role"): used,
        }
        for item, d in items
    ]
    context = tr("tham khảo", "context")
    for f in prof.facts:
        rows.append(
            {
                tr("Số liệu", "Item"): f.item(lang()),
                tr("Giá trị", "Value"): _value(f.value),
                tr("Đơn vị", "Unit"): unit_text(f.unit),
                tr("Loại", "Tag"): tag_text(f.tag),
                tr("Nguồn", "Source"): f.source,
                tr("Vai trò", "Role"): context,
            }
        )
    return pd.DataFrame(rows)


def _range(p: Parameter) -> str:
    if p.is_choice:
        return " | ".join(p.choices or ())
    return f"{format_value(p.min, lang())} – {format_value(p.max, lang())}"


def parameter_table(prof: Profile, kind: str) -> pd.DataFrame:
    """Levers or assumptions: label, unit, this profile's default, range, tag and source, help."""
    calibrated = float(run(baseline(prof.id)).calibrated_enterprise_rd[0]) * 100.0
    rows = []
    for p in schema().values():
        if p.kind != kind:
            continue
        tag, source = prof.default_source(p.id)
        default = prof.default(p.id)
        if default is None and p.calibrated:
            shown = tr("hiệu chỉnh: ", "calibrated: ") + fmt.percent(calibrated, lang(), 3)
            tag, source = "derived", p.source
        else:
            shown = format_value(default, lang())
        rows.append(
            {
                tr("Tham số", "Parameter"): p.label(lang()),
                tr("Đơn vị", "Unit"): p.unit(lang()),
                tr(f"Mặc định ({prof.name.vi})", f"Default ({prof.name.en})"): shown,
                tr("Khoảng cho phép", "Allowed range"): _range(p),
                tr("Loại", "Tag"): tag_text(tag),
                tr("Nguồn", "Source"): source,
                tr("Giải thích", "Help"): p.help(lang()),
                "id": p.id,  # the key scenario files use
            }
        )
    return pd.DataFrame(rows)


def target_table(prof: Profile) -> pd.DataFrame:
    rows = [
        {
            tr("Mục tiêu", "Target"): t.label(lang()),
            tr("Năm", "Year"): str(t.year) if t.year is not None else tr("mọi năm", "every year"),
            tr("Ngưỡng", "Threshold"): f"≥ {_value(t.value)} {unit_text(t.unit)}",
            tr("Loại", "Tag"): tag_text("plan"),
            tr("Nguồn", "Source"): t.source,
        }
        for t in prof.targets
    ]
    return pd.DataFrame(rows)


# Each equation: (title vi, title en, LaTeX, note vi, note en). MODEL.md §2-§3, numbered as there.
EQUATIONS: list[tuple[str, str, str, str, str]] = [
    (
        "1. Tăng trưởng thực",
        "1. Real growth",
        r"g_t = g^b_t + \rho\,(r_{t-L} - r_0) + \psi\,(x_{t-1} - x_0),\qquad r_{t-L} = r_{T_0}\ \text{if}\ t-L < T_0",
        "Tăng trưởng nền cộng tác động của R&D (có độ trễ L năm) và của đầu tư số năm trước, so với năm gốc.",
        "Baseline growth plus the effect of R&D (after a lag of L years) and of last year's digital investment, "
        "both measured against the base year.",
    ),
    (
        "2. GRDP",
        "2. GRDP",
        r"Y^{real}_t = Y^{real}_{t-1}(1+g_t),\qquad Y_t = Y_{t-1}(1+g_t)(1+\pi_t),\qquad Y^{real}_{T_0} = Y_{T_0}",
        "GRDP thực (giá năm gốc) và danh nghĩa (giá hiện hành; π là lạm phát theo chỉ số giảm phát GRDP).",
        "Real GRDP (base-year prices) and nominal GRDP (current prices; π is GRDP-deflator inflation).",
    ),
    (
        "3. Dân số",
        "3. Population",
        r"N_t = N_{t-1}(1+n),\qquad \text{GRDP per capita}_t = Y_t / N_t",
        "GRDP bình quân đầu người tính bằng triệu đồng ($Y_t$ tính bằng tỷ đồng nhân 1.000).",
        "GRDP per capita in million VND ($Y_t$ in bn VND times 1,000).",
    ),
    (
        "4. Ngân sách",
        "4. Budget",
        r"B_t = b_t\,Y_t,\qquad S_t = s_t\,B_t,\qquad F_t = c_t\,B_t",
        "Chi ngân sách B, ngân sách KH,CN,ĐMST&CĐS S và mức Trung ương giao F.",
        "Budget spending B, the S&T/DX envelope S and the central floor F.",
    ),
    (
        "5. R&D công và chuyển đổi số công",
        "5. Public R&D and public DX",
        r"P_t = \theta_t\,S_t,\qquad X_t = (1-\theta_t)\,S_t",
        "",
        "",
    ),
    (
        "6. R&D ngoài nhà nước",
        "6. Non-state R&D",
        r"N^{rd}_t = e_t\,Y_t + \lambda\,P_t",
        "R&D tự đầu tư của doanh nghiệp cộng phần được R&D công lôi kéo thêm (λ).",
        "Enterprises' own R&D plus what public R&D crowds in (λ).",
    ),
    (
        "7. Quy tắc cap_public",
        "7. Rule mode cap_public",
        r"\text{if } P_t > \tfrac{N^{rd}_t}{1.5}:\quad X_t \leftarrow X_t + \Big(P_t - \tfrac{N^{rd}_t}{1.5}\Big),"
        r"\quad P_t \leftarrow \tfrac{N^{rd}_t}{1.5}",
        "Tính một lần với $N^{rd}_t$ của bước 6 (không tính lại hiệu ứng lôi kéo trên phần đã chuyển); không áp "
        "dụng cho năm gốc.",
        "Computed once with $N^{rd}_t$ from step 6 (the crowding-in of the moved amount is not recomputed); not "
        "applied to the base year.",
    ),
    (
        "8. Tổng R&D",
        "8. Total R&D",
        r"R_t = P_t + N^{rd}_t,\qquad r_t = R_t / Y_t,\qquad h_t = N^{rd}_t / R_t",
        "Cường độ R&D r và tỷ trọng ngoài nhà nước h.",
        "R&D intensity r and the non-state share h.",
    ),
    (
        "9. Cường độ đầu tư số",
        "9. Digital-investment intensity",
        r"x_t = (1+\mu)\,X_t / Y_t",
        "Chi chuyển đổi số công cộng phần đầu tư tư nhân được kéo theo (μ).",
        "Public DX spending plus the private investment it induces (μ).",
    ),
    (
        "10. Kinh tế số (lan tỏa logistic)",
        "10. Digital economy (logistic diffusion)",
        r"k_t = \min\!\big(1,\ \max(0,\ k_0 + \kappa\cdot 100\,(x_{t-1} - x_0))\big),\qquad "
        r"d_t = d_{t-1} + k_t\, d_{t-1}\Big(1 - \frac{d_{t-1}}{D}\Big)",
        "$k_t$ được giới hạn trong [0, 1] để đường logistic rời rạc không bao giờ vượt trần $D$. Giá trị tăng thêm "
        "của kinh tế số = $d_t Y_t$.",
        "$k_t$ is clipped to [0, 1] so that the discrete logistic never overshoots the ceiling $D$. Digital-economy "
        "value added = $d_t Y_t$.",
    ),
    (
        "11. Vốn tri thức R&D (giá năm gốc)",
        "11. R&D knowledge stock (base-year prices)",
        r"K_t = (1-\delta)\,K_{t-1} + \frac{R_t}{\text{deflator}_t},\qquad K_{T_0} = \frac{R_{T_0}}{g_{T_0}+\delta}",
        "",
        "",
    ),
    (
        "12. Thiếu hụt R&D ngoài nhà nước",
        "12. Non-state R&D gap",
        r"\text{gap}_t = \max\!\Big(0,\ \max\big(T\,Y_t - P_t,\ 1.5\,P_t\big) - N^{rd}_t\Big)",
        "Số tiền doanh nghiệp cần bỏ thêm mỗi năm để đạt mục tiêu R&D T với ít nhất 60 % ngoài nhà nước.",
        "What enterprises must add each year to reach the R&D target T with at least 60 % non-state.",
    ),
    (
        "13. Chi lũy kế",
        "13. Cumulative cost",
        r"C_{2025\text{–}2030} = \sum_{t=2025}^{2030} S_t,\qquad C_{2031\text{–}2045} = \sum_{t=2031}^{2045} S_t",
        "Cộng theo năm dương lịch của từng giai đoạn, danh nghĩa và thực ($S_t$ chia chỉ số giảm phát); với hồ sơ "
        "có năm gốc 2025, năm gốc nằm trong giai đoạn đầu.",
        "Summed by calendar period, nominal and real ($S_t$ divided by the deflator); for a profile whose base year "
        "is 2025 the base year falls in the first period.",
    ),
]


def equations_section(prof: Profile) -> None:
    st.markdown(
        tr(
            f"Năm gốc T₀ = {prof.base_year} là **số liệu lịch sử**: giá trị của đòn bẩy và giả định năm gốc là của hồ "
            f"sơ (điểm hiệu chỉnh), tăng trưởng năm gốc là số quan sát; lộ trình của kịch bản áp dụng từ năm "
            f"{prof.base_year + 1}. Mọi tỷ trọng là phân số trong phương trình và là % trên màn hình. Tiền: tỷ đồng.",
            f"The base year T₀ = {prof.base_year} is **history**: the base-year lever and assumption values are the "
            f"profile's (the calibration point) and base-year growth is the observed one; scenario paths apply from "
            f"{prof.base_year + 1}. Shares are fractions in the equations and percent on screen. Money: bn VND.",
        )
    )
    for title_vi, title_en, latex, note_vi, note_en in EQUATIONS:
        st.markdown(f"**{tr(title_vi, title_en)}**")
        st.latex(latex)
        if note_vi:
            st.caption(tr(note_vi, note_en))
    st.markdown("**" + tr("Hiệu chỉnh năm gốc", "Base-year calibration") + "**")
    st.latex(r"e_{T_0} = r_0 - (1+\lambda)\,\frac{P_{T_0}}{Y_{T_0}}")
    st.caption(
        tr(
            "R&D doanh nghiệp năm gốc là phần dư để bước 6 và 8 đúng với r₀ của hồ sơ. Nếu âm, hồ sơ và giả định "
            "mâu thuẫn nhau: mô hình từ chối và báo rõ. Mặc định e_t giữ nguyên e_T₀; kịch bản đặt e_t cho các năm sau "
            "thì nội suy từ e_T₀.",
            "Enterprise R&D in the base year is the residual that makes steps 6 and 8 match the profile's r₀. If it is "
            "negative the profile and assumptions contradict each other: the model refuses with a clear message. By "
            "default e_t stays at e_T₀; a scenario that sets e_t for later years interpolates from e_T₀.",
        )
    )
    st.caption(
        tr(
            "Lộ trình theo năm: tuyến tính giữa các mốc, giữ nguyên trước mốc đầu và sau mốc cuối.",
            "Year-keyed paths: linear between breakpoints, flat before the first and after the last.",
        )
    )


def caveats_section(prof: Profile) -> None:
    st.markdown(
        tr(
            "- **Hai cách đo kinh tế số.** Phương pháp Bộ TT&TT/Bộ KH&CN (dựa trên doanh thu) và phương pháp giá trị "
            "tăng thêm của Tổng cục Thống kê chênh nhau 4-5 điểm % trên toàn quốc (18,3 % năm 2024 so với 14,02 % năm "
            "2025). Mục tiêu của các tỉnh theo cách đo kiểu Bộ TT&TT.",
            "- **Two digital-economy measures.** The MIC/MoST revenue-based measure and GSO's value-added measure "
            "differ by 4-5 percentage points nationally (18.3 % in 2024 against 14.02 % in 2025). Provincial targets "
            "follow the MIC-style measure.",
        )
    )
    st.markdown(tr("  - Hồ sơ này dùng: ", "  - This profile uses: ") + prof.digital_measure(lang()))
    st.markdown(
        tr(
            "- **Số liệu ước tính sẽ được điều chỉnh.** Số cuối năm là ước tính và thường được sửa sau; ưu tiên số sơ "
            f"bộ của Tổng cục Thống kê về mức và tốc độ tăng. Số liệu của hồ sơ này cập nhật đến {prof.data_vintage}.",
            "- **Estimates get revised.** Year-end figures are estimates and are often revised; GSO preliminary levels "
            f"and growth rates are preferred. This profile's data are as of {prof.data_vintage}.",
        )
    )
    st.markdown(
        tr(
            "- **Tỷ lệ chi KH&CN trong ngân sách khác nhau theo nguồn** (Bộ Tài chính, Kiểm toán Nhà nước, "
            "Bộ KH&CN) vì mỗi nguồn tính những khoản khác nhau.",
            "- **S&T budget shares differ by source** (Ministry of Finance, State Audit, MoST) because each counts "
            "different items.",
        )
    )
    st.markdown(
        tr(
            "- **Địa giới.** Từ 01/7/2025 Bình Phước sáp nhập vào Đồng Nai; chương trình hành động thực hiện "
            "Nghị quyết 57 (02/2025) là của Bình Phước, nên ứng dụng có ba hồ sơ: Bình Phước, Đồng Nai (sau sáp "
            "nhập) và toàn quốc.",
            "- **Geography.** On 1 July 2025 Bình Phước was merged into Đồng Nai; the action programme implementing "
            "Resolution 57 (Feb 2025) is Bình Phước's, so the app ships three profiles: Bình Phước, merged Đồng Nai "
            "and Vietnam.",
        )
    )
    st.markdown(
        tr(
            "- Số liệu gắn nhãn **giả định** là giá trị mặc định được ghi rõ vì không tìm thấy số công bố: hãy thay "
            "bằng số liệu của địa phương khi có.",
            "- Figures tagged **assumption** are documented defaults because no published figure was found: replace "
            "them with local data when available.",
        )
    )


# ----------------------------------------------------------------- page

st.title(tr("Dữ liệu & giả định", "Data & assumptions"))
profiles = list_profiles()
current_region = state.current_scenario().region
region = keep(
    "data_region",
    st.selectbox(
        tr("Hồ sơ vùng", "Region profile"),
        profiles,
        format_func=lambda r: load_profile(r).name(lang()),
        key=choice_key("data_region", profiles, current_region if current_region in profiles else profiles[0]),
    ),
)
prof = load_profile(region)
st.caption(
    f"{prof.description(lang())} · "
    + tr(f"Năm gốc {prof.base_year}, đến {prof.horizon}", f"Base year {prof.base_year}, horizon {prof.horizon}")
    + " · "
    + tr(f"số liệu cập nhật {prof.data_vintage}", f"data as of {prof.data_vintage}")
)
st.caption(tr("Nhãn nguồn: ", "Source tags: ") + " · ".join(tag_badge(t) for t in TAGS))

tab_data, tab_params, tab_eq, tab_targets, tab_caveats = st.tabs(
    [
        tr("Số liệu năm gốc", "Base-year data"),
        tr("Tham số", "Parameters"),
        tr("Phương trình", "Equations"),
        tr("Mục tiêu", "Targets"),
        tr("Lưu ý đo lường", "Measurement caveats"),
    ]
)
SOURCE, HELP = tr("Nguồn", "Source"), tr("Giải thích", "Help")
with tab_data:
    show_table(base_table(prof), "data_base", wide=(SOURCE,))
with tab_params:
    st.markdown("**" + tr("Đòn bẩy chính sách", "Policy levers") + "**")
    show_table(parameter_table(prof, "lever"), "data_levers", wide=(SOURCE, HELP))
    st.markdown("**" + tr("Giả định", "Assumptions") + "**")
    show_table(parameter_table(prof, "assumption"), "data_assumptions", wide=(SOURCE, HELP))
with tab_eq:
    equations_section(prof)
with tab_targets:
    show_table(target_table(prof), "data_targets", wide=(SOURCE,))
with tab_caveats:
    caveats_section(prof)
