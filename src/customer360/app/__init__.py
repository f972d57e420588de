"""The Streamlit dashboard: entry `main.py`, one module per page, `data.py` holds every query."""
