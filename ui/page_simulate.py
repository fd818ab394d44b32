"""Page: simulate."""

import streamlit as st

st.write("simulate")
