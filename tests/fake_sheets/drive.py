"""A sliver of Drive v3 for the fake: ``files/{id}/permissions`` (list), used by service-account mode.

Premia's service-account mode must check that the *verified caller* may edit a spreadsheet before it
acts with its own, broader credentials; Drive's permission list is where Google keeps who may edit.
Tokens are the fake's principals; ``emails`` maps each token to the account's e-mail address.
"""

from __future__ import annotations

from typing import Any

from tests.fake_sheets.errors import ApiError

ALLOWED_QUERY = frozenset({"fields", "supportsAllDrives", "pageSize", "pageToken", "alt", "prettyPrint"})


def list_permissions(book: Any, token: str, emails: dict[str, str], query: dict[str, list[str]],
                     file_id: str) -> dict[str, Any]:
    """Drive's ``permissions.list`` for one file, as the caller ``token`` may see it."""
    unknown = sorted(set(query) - ALLOWED_QUERY)
    if unknown:
        raise ApiError.invalid(f"Invalid field selection or parameter: {unknown[0]}")
    if book is None or not book.can_read(token):
        raise ApiError(404, f"File not found: {file_id}.")
    entries = [(book.owner, "owner"), *((t, "writer") for t in sorted(book.editors)),
               *((t, "reader") for t in sorted(book.readers))]
    permissions = [{"kind": "drive#permission", "id": f"perm-{index}", "type": "user",
                    "emailAddress": emails.get(principal, f"{principal}@fake-sheets.test"), "role": role}
                   for index, (principal, role) in enumerate(entries) if principal]
    return {"kind": "drive#permissionList", "permissions": permissions}
