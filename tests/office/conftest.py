"""The office reports on the jury's work: its tests use the jury's call, jury and call manager
(tests/jury/conftest.py)."""

from tests.jury.conftest import candidacies, chair, jurors, manager

__all__ = ["candidacies", "chair", "jurors", "manager"]
