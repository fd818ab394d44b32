"""Page: compare."""

import streamlit as st

st.write("compare")
