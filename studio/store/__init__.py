"""Persistence: SQLAlchemy 2 models, the session factory, Alembic migrations, repositories."""
