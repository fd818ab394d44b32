"""The yardstick for the UI benchmark: one slider, one metric, one plotly chart (nothing else)."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

x = st.slider("x", 0.0, 10.0, 1.0, 0.1, key="w_x")
with st.container(key="kpi_x"):
    st.metric("value", f"{x * 3:.1f}")
years = np.arange(2024, 2046)
st.plotly_chart(go.Figure(go.Scatter(x=years, y=x * 1.05 ** (years - 2024))), key="chart_x")
