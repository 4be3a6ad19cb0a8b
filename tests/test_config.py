"""Configuration layers, and a production start that refuses to run without a secret."""

import pytest

from cascade import create_app


def test_production_without_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("CASCADE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="CASCADE_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "SECRET_KEY": None})


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("CASCADE_SECRET_KEY", "from-env")
    monkeypatch.setenv("CASCADE_DATABASE_URL", "postgresql://u@db.example/cascade")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/cascade"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_default_database_lives_in_the_instance_folder(monkeypatch):
    monkeypatch.setenv("CASCADE_SECRET_KEY", "x")
    monkeypatch.delenv("CASCADE_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/cascade.sqlite")
