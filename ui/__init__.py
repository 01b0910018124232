"""Streamlit-side pieces of the explorer (the domain logic lives in ``graph``)."""
