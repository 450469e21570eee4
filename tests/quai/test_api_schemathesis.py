"""schemathesis (PyPI) against the live server's own schema, as staff and as a member, with tokens.

Every operation gets a few generated requests, valid and invalid; each answer must be no 5xx and
conform to /api/schema/ (documented status code, content type, headers and body). The world of
tests/quai/world.py is in the database, so the generated ids often hit real objects.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from members.models import ApiToken
from tests.quai.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
MAX_EXAMPLES = 5


def run_schemathesis(live_server, tmp_path: Path, key: str) -> subprocess.CompletedProcess:
    schemathesis = Path(sys.executable).with_name("st")
    return subprocess.run(
        [
            str(schemathesis), "run", f"{live_server.url}/api/schema/?format=json",
            "--url", live_server.url,
            "--header", f"Authorization: Token {key}",
            "--checks", CHECKS,
            "--phases", "examples,fuzzing",
            "--max-examples", str(MAX_EXAMPLES),
            "--seed", "11",
            "--workers", "1",
            "--no-shrink",
            "--suppress-health-check", "all",
            "--request-timeout", "20",
            "--report", "ndjson", "--report-ndjson-path", str(tmp_path / "events.ndjson"),
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=240,
    )


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.mark.parametrize("persona", ["staff", "member_a"])
def test_every_operation_answers_within_its_schema(persona, world, live_server, tmp_path):
    _token, key = ApiToken.issue(user=world.people[persona], name="schemathesis")
    result = run_schemathesis(live_server, tmp_path, key)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
