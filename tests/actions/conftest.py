import pytest

from actions import runtime
from actions.runtime import set_procedure_service
from procedures_kb.importer import import_path
from procedures_kb.service import ProcedureService
from settings import Settings
from tests.conftest import CURATED_DIR


@pytest.fixture(autouse=True)
def action_settings():
    """Actions see default settings in development mode (the demo dossier key), whatever the shell exports."""
    runtime.configure(Settings.from_env({"APP_ENV": "development"}))
    yield
    runtime.configure(None)


@pytest.fixture
def service(engine, session):
    """The curated catalogue on each database backend, installed for the actions."""
    import_path(session, CURATED_DIR)
    service = ProcedureService(engine)
    set_procedure_service(service)
    yield service
    set_procedure_service(None)
