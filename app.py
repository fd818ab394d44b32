"""NQ57 scenario simulator: page config, navigation and language; nothing else.

Run: ``streamlit run app.py``
"""

import streamlit as st

from ui import identity
from ui.i18n import LANG_KEY, _
from ui.state import init_language_from_link

st.set_page_config(page_title="NQ57 – Mô phỏng kịch bản", page_icon=":material/trending_up:", layout="wide")

init_language_from_link()  # a shared link opens in its language


def _keep_link_language() -> None:
    """The link's ``l=`` follows the language picked (a link copied now opens in it)."""
    if "l" in st.query_params:
        st.query_params["l"] = st.session_state[LANG_KEY]


with st.sidebar:
    # required: clicking the language already selected keeps it (a plain segmented control would
    # deselect it and return None).
    st.segmented_control(
        "Ngôn ngữ / Language",
        options=["vi", "en"],
        format_func=lambda c: {"vi": "Tiếng Việt", "en": "English"}[c],
        key=LANG_KEY,
        default="vi",
        required=True,
        on_change=_keep_link_language,
    )
    identity.sidebar()

identity.require_sign_in()  # with sign-in configured, no page runs for someone not signed in

pages = [
    st.Page(
        "ui/page_simulate.py",
        title=_("Simulate"),
        icon=":material/tune:",
        url_path="simulate",
        default=True,
    ),
    st.Page("ui/page_library.py", title=_("Scenarios"), icon=":material/folder_open:", url_path="scenarios"),
    st.Page("ui/page_compare.py", title=_("Compare"), icon=":material/compare_arrows:", url_path="compare"),
    st.Page("ui/page_analysis.py", title=_("Analysis"), icon=":material/insights:", url_path="analysis"),
    st.Page(
        "ui/page_data.py",
        title=_("Data & assumptions"),
        icon=":material/menu_book:",
        url_path="data",
    ),
    st.Page("ui/page_present.py", title=_("Present"), icon=":material/co_present:", url_path="present"),
]
page = st.navigation(pages)
# The page shown before this run (the Present page collapses the sidebar when it is entered).
st.session_state["page_before"], st.session_state["page_now"] = st.session_state.get("page_now"), page.url_path
st.session_state["page_runs"] = st.session_state.get("page_runs", 0) + 1
page.run()
