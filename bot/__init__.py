"""Tanya Paspor: help chatbot for the M-Paspor passport application."""

__version__ = "0.1.0"
