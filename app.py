"""NQ57 scenario simulator: entry point (page config, navigation, language). Run: streamlit run app.py"""

import streamlit as st

st.set_page_config(page_title="NQ57", layout="wide")
st.title("Mô phỏng kịch bản Nghị quyết 57")
