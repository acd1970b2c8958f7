"""Turns stored results into answers: terminal cards and a static HTML site."""
