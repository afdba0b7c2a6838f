"""docs/addon.md stays true to the files it tells an owner to use (issue 11 item 6).

The install guide names the service's URL, files of this repository, the manifest's scopes and the menu
in both languages; each is checked against the code, so the guide cannot promise what is not there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "addon.md").read_text(encoding="utf-8")
APP_YAML = (ROOT / "app.yaml").read_text(encoding="utf-8")
MANIFEST = json.loads((ROOT / "templates" / "addon" / "appsscript.json").read_text(encoding="utf-8"))
TEXT_GS = (ROOT / "templates" / "addon" / "Text.gs").read_text(encoding="utf-8")


def test_the_service_url_is_the_one_app_yaml_deploys() -> None:
    service = re.search(r"^service:\s*(\S+)", APP_YAML, re.M)
    if service is None:  # the default service: https://PROJECT_ID.REGION_ID.r.appspot.com
        assert "https://PROJECT_ID.REGION_ID.r.appspot.com" in GUIDE and "-dot-" not in GUIDE
        assert "no `service:` key" in GUIDE
    else:
        assert f"{service.group(1)}-dot-PROJECT_ID.REGION_ID.r.appspot.com" in GUIDE
    assert "gcloud app deploy app.yaml" in GUIDE and "/healthz" in GUIDE


def test_every_repository_path_the_guide_names_exists() -> None:
    named = set(re.findall(r"`((?:[\w.-]+/)+[\w.-]+\.(?:py|gs|js|json|html|yaml|md))`", GUIDE))
    assert named, "the guide names no file"
    missing = sorted(path for path in named
                     if not (ROOT / path).exists() and not (ROOT / "templates" / "addon" / path).exists())
    assert missing == []


def test_the_scopes_table_is_the_manifests() -> None:
    table = GUIDE[GUIDE.index("## OAuth scopes and why"):]
    listed = re.findall(r"^\| `([^`]+)` \|", table, re.M)
    assert listed == MANIFEST["oauthScopes"]


def test_the_menu_is_described_in_both_languages_as_the_add_on_shows_it() -> None:
    for key in ("menuSetup", "menuRecalculate", "menuExplain", "menuClose", "menuReopen", "menuPaid",
                "menuDailyOn", "menuDailyOff"):
        english, russian = re.findall(rf"^\s*{key}: '([^']+)'", TEXT_GS, re.M)
        assert f"**{english}** / {russian}" in GUIDE, key


def test_the_steps_an_owner_follows_are_all_there() -> None:
    for heading in ("Create the Google Cloud project", "Enable the APIs", "Configure the OAuth consent screen",
                    "Deploy the service to App Engine", "Share with the team", "Costs and quotas",
                    "What the service operator can access"):
        assert heading in GUIDE, heading
    for fact in ("Google Sheets API", "Google Drive API", "Google hasn't verified this app", "test users",
                 "project number", "budget alert"):
        assert fact in GUIDE, fact
