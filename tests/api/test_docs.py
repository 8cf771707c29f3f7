"""The OpenAPI document and the docs page: behind sign-in or a token, served from our own static
files (no CDN, no inline script)."""

import pytest
from bs4 import BeautifulSoup

from tracker import roles


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_it_refuses_anonymous_callers(client, db, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["errors"][0]["rule"] == "authentication"


def test_a_token_fetches_the_openapi_document(make_token):
    _, api = make_token(roles.CSR)
    document = api.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/periods"} <= set(document["paths"])
    assert "BearerAuth" in str(document["components"]["securitySchemes"]) or any(
        scheme.get("scheme") == "bearer"
        for scheme in document["components"]["securitySchemes"].values()
    )


def test_the_docs_page_loads_only_our_static_files(client, csr):
    client.force_login(csr)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "en" and soup.find("main")
    sources = [tag.get("src") or tag.get("href") for tag in soup.find_all(["script", "link"])]
    assert all(src is None or src.startswith("/static/") for src in sources), sources
    # The only inline script is a JSON data block, which the CSP does not run.
    inline = [s for s in soup.find_all("script") if not s.get("src")]
    assert [s["type"] for s in inline] == ["application/json"]
    assert "unsafe-inline" not in response.get("Content-Security-Policy", "")
    from django.contrib.staticfiles import finders

    for src in filter(None, sources):
        assert finders.find(src.removeprefix("/static/")), src
