"""Spacewarp core: NumPy models, datasets and geometry, with no Streamlit imports."""
