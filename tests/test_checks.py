"""The checks of `make security`: the offline advisory list finds a known vulnerability (and so fails
the audit), and finds none in a version past every advisory."""

import pytest

from checks.dependency_audit import offline


def test_the_offline_list_finds_a_known_vulnerability(capsys):
    assert offline({"django": "1.11.0"}) > 0
    assert "VULNERABLE django 1.11.0" in capsys.readouterr().out


def test_the_offline_list_says_its_source_and_passes_a_current_version(capsys):
    assert offline({"django": "5.2.9"}) == 0
    assert "source: safety-db" in capsys.readouterr().out


def test_the_audit_fails_on_a_vulnerability_when_no_service_answers(monkeypatch):
    import checks.dependency_audit as audit

    monkeypatch.setattr(audit, "online", lambda service: (False, 0))
    monkeypatch.setattr(audit, "installed", lambda: {"django": "1.11.0"})
    with pytest.raises(SystemExit, match="known vulnerabilities"):
        audit.main()
