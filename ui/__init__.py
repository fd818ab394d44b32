"""Streamlit pages (one file a page), widgets built from the parameter schema, figure builders."""
