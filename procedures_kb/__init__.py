"""Catalogue of Vietnamese administrative procedures (thủ tục hành chính) in SQL."""
