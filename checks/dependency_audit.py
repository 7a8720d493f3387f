"""The installed environment against known vulnerabilities: pip-audit with the PyPI advisory service
(then OSV) when one of them answers for the packages; where neither can be reached (no internet, a
mirror without advisory data), the advisory list installed with the test extras (`safety-db`, read
offline). Fails on any known vulnerability; never merely because the network is absent. Prints which
source it checked and that list's date.
"""

import json
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

BIN = Path(sys.executable).parent
SERVICES = ("pypi", "osv")


def installed() -> dict[str, str]:
    """Every distribution of this environment but the platform itself, by canonical name."""
    found = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    found.pop("keyprojects", None)
    return found


def online(service: str) -> tuple[bool, int]:
    """(reached, vulnerabilities found) through pip-audit and `service`."""
    command = [str(BIN / "pip-audit"), "-l", "--skip-editable", "--progress-spinner", "off", "-f", "json",
               "-s", service, "--timeout", "10"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return False, 0
    audited = [d for d in report.get("dependencies", []) if "skip_reason" not in d]
    vulnerable = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", [])]
    for name, version, advisory in vulnerable:
        print(f"VULNERABLE {name} {version}: {advisory}")
    # A mirror that knows no package (or an unreachable service) has audited nothing.
    return bool(audited), len(vulnerable)


def offline(packages: dict[str, str]) -> int:
    """The known vulnerabilities of `packages` in safety-db's list, read from the installed package."""
    # read as a file: the package's own __init__ opens a path relative to the working directory
    listing = metadata.distribution("safety-db").locate_file("safety_db/insecure_full.json")
    advisories = json.loads(Path(str(listing)).read_text())
    stamp = datetime.fromtimestamp(advisories.pop("$meta")["timestamp"], UTC).date()
    print(f"source: safety-db {metadata.version('safety-db')} (offline advisory list of {stamp})")
    found = 0
    for name, entries in advisories.items():
        version = packages.get(canonicalize_name(name))
        if version is None:
            continue
        for entry in entries:
            try:
                hit = any(Version(version) in SpecifierSet(spec) for spec in entry["specs"])
            except InvalidVersion:
                continue
            if hit:
                found += 1
                print(f"VULNERABLE {name} {version}: {entry['id']} {entry.get('cve') or ''}")
    return found


def main() -> None:
    packages = installed()
    for service in SERVICES:
        reached, found = online(service)
        if reached:
            print(f"source: pip-audit, {service} advisory service ({len(packages)} packages)")
            break
        print(f"pip-audit: the {service} advisory service cannot be reached, or knows none of the packages")
    else:
        found = offline(packages)
    if found:
        sys.exit(f"{found} known vulnerabilities in the installed packages")
    print(f"no known vulnerability in {len(packages)} installed packages")


if __name__ == "__main__":
    main()
