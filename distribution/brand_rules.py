"""The rules of home-assistant/brands for a custom integration's images, checked locally.

Mirrors that repository's validation (`.github/workflows/validate/validate.sh`): known file names
only, PNG files, icons 256x256 (hDPI 512x512), logos with a shortest side of 128-256 px (hDPI
256-512), an hDPI image only next to its normal one, no image identical to the one it would
replace (logo = icon, dark = light, @2x = normal), no folder starting with "_", and no domain that
is also a core integration (core wins). And its README's image specification: each domain folder
has `icon.png`; images are sRGB and trimmed (no empty or single-colour border around the subject);
no symlinks in `custom_integrations/`; folder names are integration domains.

Home Assistant 2026.3+ reads the same file names from `custom_components/<domain>/brand/`, so the
image rules apply to that folder too.
"""

from __future__ import annotations

from collections.abc import Collection
import importlib.util
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageChops, ImageCms

ICON_SIZES = {
    "icon.png": 256,
    "dark_icon.png": 256,
    "icon@2x.png": 512,
    "dark_icon@2x.png": 512,
}
LOGO_SHORTEST_SIDE = {
    "logo.png": (128, 256),
    "dark_logo.png": (128, 256),
    "logo@2x.png": (256, 512),
    "dark_logo@2x.png": (256, 512),
}
HDPI_NEEDS = {
    "icon@2x.png": "icon.png",
    "logo@2x.png": "logo.png",
    "dark_icon@2x.png": "dark_icon.png",
    "dark_logo@2x.png": "dark_logo.png",
}
# (kept, must differ from it): the second file is pointless when it is a copy of the first.
NOT_IDENTICAL = (
    ("icon.png", "logo.png"),
    ("icon@2x.png", "logo@2x.png"),
    ("dark_icon.png", "dark_logo.png"),
    ("dark_icon@2x.png", "dark_logo@2x.png"),
    ("icon.png", "dark_icon.png"),
    ("icon@2x.png", "dark_icon@2x.png"),
    ("logo.png", "dark_logo.png"),
    ("logo@2x.png", "dark_logo@2x.png"),
    ("icon.png", "icon@2x.png"),
    ("logo.png", "logo@2x.png"),
    ("dark_icon.png", "dark_icon@2x.png"),
    ("dark_logo.png", "dark_logo@2x.png"),
)
KNOWN_FILES = frozenset(ICON_SIZES) | frozenset(LOGO_SHORTEST_SIDE)


def core_domains() -> frozenset[str]:
    """Return the domains of Home Assistant's own integrations (installed version)."""
    spec = importlib.util.find_spec("homeassistant.components")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    return frozenset(
        path.name
        for location in spec.submodule_search_locations
        for path in Path(location).iterdir()
        if path.is_dir() and not path.name.startswith("__")
    )


def _trim_problem(image: Image.Image) -> str | None:
    """Return why `image` is not trimmed: its subject must reach two opposite edges."""
    rgba = image.convert("RGBA")
    width, height = rgba.size
    if rgba.getchannel("A").getpixel((0, 0)) == 0:
        box = rgba.getchannel("A").getbbox()
        if box is None:
            return "is empty"
    else:
        # An opaque corner is a background colour: the subject is what differs from it
        # (an image of one colour only is all subject).
        background = rgba.crop((0, 0, 1, 1)).resize(rgba.size)
        difference = ImageChops.difference(rgba, background)
        box = difference.getbbox(alpha_only=False) or (0, 0, width, height)
    left, top, right, bottom = box
    if (left, right) == (0, width) or (top, bottom) == (0, height):
        return None
    return (
        f"is not trimmed: the subject spans x {left}-{right}, y {top}-{bottom} "
        f"of {width}x{height}"
    )


def check_image(path: Path) -> list[str]:
    """Return every problem of one brand image (type, colour space, size, trimming)."""
    name = path.name
    if name not in KNOWN_FILES:
        return [f"{path}: unknown and invalid filename"]
    try:
        image = Image.open(path)
        image.load()
    except OSError:
        return [f"{path}: could not read image file"]
    if image.format != "PNG":
        return [f"{path}: invalid file type '{image.format}'"]
    problems: list[str] = []
    if image.mode not in {"RGB", "RGBA", "P", "L", "LA"}:
        problems.append(f"{path}: colour mode {image.mode} is not sRGB")
    if profile := image.info.get("icc_profile"):
        description = ImageCms.getProfileDescription(
            ImageCms.ImageCmsProfile(BytesIO(profile))
        )
        if "srgb" not in description.lower():
            problems.append(
                f"{path}: colour profile '{description.strip()}' is not sRGB"
            )
    width, height = image.size
    if name in ICON_SIZES:
        side = ICON_SIZES[name]
        if (width, height) != (side, side):
            problems.append(
                f"{path}: invalid icon size {width}x{height}px, must be {side}x{side}px"
            )
    else:
        least, most = LOGO_SHORTEST_SIDE[name]
        if not least <= min(width, height) <= most:
            problems.append(
                f"{path}: invalid logo size {width}x{height}px, shortest side must be "
                f"{least}-{most}px"
            )
    if trim := _trim_problem(image):
        problems.append(f"{path}: {trim}")
    return problems


def check_brand_folder(folder: Path) -> list[str]:
    """Return every problem of one domain folder of brand images."""
    problems: list[str] = []
    files = {path.name: path for path in sorted(folder.iterdir())}
    if "icon.png" not in files:
        problems.append(f"{folder}: icon.png is missing")
    for name, path in files.items():
        if path.is_symlink():
            problems.append(f"{path}: symlinks are not allowed for custom integrations")
            continue
        problems.extend(check_image(path))
        if name in HDPI_NEEDS and HDPI_NEEDS[name] not in files:
            problems.append(
                f"{path}: hDPI image provided, but {HDPI_NEEDS[name]} is missing"
            )
    for kept, copy in NOT_IDENTICAL:
        if (
            kept in files
            and copy in files
            and files[kept].read_bytes() == files[copy].read_bytes()
        ):
            problems.append(
                f"{files[copy]}: identical to {kept}; remove it ({kept} is used instead)"
            )
    return problems


def check_brands_pull_request(
    root: Path, domains: Collection[str], core: Collection[str]
) -> list[str]:
    """Return every problem of the content of a brands pull request rooted at `root`.

    `domains` are the integrations the pull request is for, `core` Home Assistant's own domains.
    """
    custom = root / "custom_integrations"
    if not custom.is_dir():
        return [f"{root}: custom_integrations/ is missing"]
    problems: list[str] = []
    folders = sorted(path for path in custom.iterdir())
    for folder in folders:
        if folder.name.startswith("_"):
            problems.append(
                f"{folder}: directories must not start with an underscore, use the domain"
            )
        if folder.name not in domains:
            problems.append(f"{folder}: not the domain of one of these integrations")
        if folder.name in core:
            problems.append(
                f"{folder}: {folder.name} is also a core integration, and core wins"
            )
        if folder.is_symlink() or not folder.is_dir():
            problems.append(f"{folder}: must be a directory, not a link or a file")
            continue
        problems.extend(check_brand_folder(folder))
    problems.extend(
        f"{custom}: {domain} has no folder"
        for domain in domains
        if domain not in {folder.name for folder in folders}
    )
    return problems
