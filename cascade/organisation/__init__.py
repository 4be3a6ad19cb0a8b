"""organisation"""
