"""Dossiers (hồ sơ): codes, status look-up, privacy."""
