import pytest

from actions.runtime import set_procedure_service
from procedures_kb.importer import import_path
from procedures_kb.service import ProcedureService
from tests.conftest import CURATED_DIR


@pytest.fixture
def service(engine, session):
    """The curated catalogue on each database backend, installed for the actions."""
    import_path(session, CURATED_DIR)
    service = ProcedureService(engine)
    set_procedure_service(service)
    yield service
    set_procedure_service(None)
