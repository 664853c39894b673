"""Where the project and its two HACS repositories live, and how releases are tagged.

The main repository holds the source of both integrations; HACS manages one integration per
repository, so each integration is published to a repository of its own (built by
`distribution.build`, pushed by `distribution.publish`).
"""

from __future__ import annotations

GITHUB = "https://github.com"
MAIN_REPOSITORY = "local-home-bridge/local-home-bridge"
PUBLISHED_REPOSITORIES = {
    "venstar_local": "local-home-bridge/venstar_local",
    "firstalert_zwave": "local-home-bridge/firstalert_zwave",
}
DOMAINS = tuple(PUBLISHED_REPOSITORIES)

# HACS installs the first folder under custom_components/ (in git's order) of a repository it is
# given. In the main repository this folder comes first and has no manifest.json, so HACS refuses
# the repository and its error names the folder, which names the repositories to add instead.
HACS_POINTER_FOLDER = "HACS-add-" + "-or-".join(
    repository.replace("/", ".") for repository in PUBLISHED_REPOSITORIES.values()
)


def github_url(repository: str) -> str:
    """Return the web address of a GitHub repository given as `owner/name`."""
    return f"{GITHUB}/{repository}"


def issue_tracker_url() -> str:
    """Return where users report problems: the main repository, where the code is changed."""
    return f"{github_url(MAIN_REPOSITORY)}/issues"


def release_tag(version: str) -> str:
    """Return the git tag of a release version (the same tag in every repository)."""
    return f"v{version}"


def documentation_url(domain: str, version: str) -> str:
    """Return the documentation of one published version: its repository's README at its tag."""
    return f"{github_url(PUBLISHED_REPOSITORIES[domain])}/blob/{release_tag(version)}/README.md"
