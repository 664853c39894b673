"""The brand images pass home-assistant/brands' rules, in the pull-request content and in brand/."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw
import pytest

from distribution.brand_rules import (
    check_brand_folder,
    check_brands_pull_request,
    check_image,
    core_domains,
)
from distribution.build import REPO_ROOT
from distribution.repositories import DOMAINS

PULL_REQUEST = REPO_ROOT / "distribution" / "brands"


def circle(size: int, *, margin: int = 0, background: str | None = None) -> Image.Image:
    """Return a red disc touching the edges (less `margin`), on `background` or transparent."""
    image = Image.new("RGBA", (size, size), background or (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse(
        (margin, margin, size - 1 - margin, size - 1 - margin), fill="red"
    )
    return image


def save(image: Image.Image, path: Path, **params: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)
    return path


def test_the_pull_request_content_passes_the_brands_rules() -> None:
    assert check_brands_pull_request(PULL_REQUEST, DOMAINS, core_domains()) == []
    assert sorted(
        p.name for p in (PULL_REQUEST / "custom_integrations").iterdir()
    ) == sorted(DOMAINS)


@pytest.mark.parametrize("domain", DOMAINS)
def test_local_brand_folder_holds_the_same_images(domain: str) -> None:
    local = REPO_ROOT / "custom_components" / domain / "brand"
    submitted = PULL_REQUEST / "custom_integrations" / domain
    assert check_brand_folder(local) == []
    assert {p.name: p.read_bytes() for p in local.iterdir()} == {
        p.name: p.read_bytes() for p in submitted.iterdir()
    }


def test_our_domains_are_not_core_domains() -> None:
    core = core_domains()
    assert "venstar" in core
    assert "zwave_js" in core
    assert not set(DOMAINS) & core


def test_sizes_types_and_names(tmp_path: Path) -> None:
    assert check_image(save(circle(256), tmp_path / "icon.png")) == []
    small = save(circle(128), tmp_path / "a" / "icon@2x.png")
    assert check_image(small) == [
        f"{small}: invalid icon size 128x128px, must be 512x512px"
    ]
    jpeg = save(circle(256).convert("RGB"), tmp_path / "b" / "icon.png", format="JPEG")
    assert check_image(jpeg) == [f"{jpeg}: invalid file type 'JPEG'"]
    broken = tmp_path / "c" / "icon.png"
    broken.parent.mkdir()
    broken.write_bytes(b"not an image")
    assert check_image(broken) == [f"{broken}: could not read image file"]
    other = save(circle(256), tmp_path / "d" / "favicon.png")
    assert check_image(other) == [f"{other}: unknown and invalid filename"]
    cmyk = save(circle(256).convert("CMYK"), tmp_path / "e" / "icon.png", format="JPEG")
    assert check_image(cmyk) == [f"{cmyk}: invalid file type 'JPEG'"]


def test_logo_shortest_side(tmp_path: Path) -> None:
    def logo(name: str, width: int, height: int) -> Path:
        image = Image.new("RGBA", (width, height), "blue")
        return save(image, tmp_path / f"{width}x{height}" / name)

    assert check_image(logo("logo.png", 512, 128)) == []
    assert check_image(logo("logo@2x.png", 1024, 512)) == []
    too_small = logo("logo.png", 400, 100)
    assert check_image(too_small) == [
        f"{too_small}: invalid logo size 400x100px, shortest side must be 128-256px"
    ]
    too_big = logo("dark_logo@2x.png", 600, 1200)
    assert check_image(too_big) == [
        f"{too_big}: invalid logo size 600x1200px, shortest side must be 256-512px"
    ]


def test_images_must_be_trimmed(tmp_path: Path) -> None:
    padded = save(circle(256, margin=11), tmp_path / "a" / "icon.png")
    assert check_image(padded) == [
        f"{padded}: is not trimmed: the subject spans x 11-245, y 11-245 of 256x256"
    ]
    white_border = save(
        circle(256, margin=20, background="white"), tmp_path / "b" / "icon.png"
    )
    assert check_image(white_border) == [
        f"{white_border}: is not trimmed: the subject spans x 20-236, y 20-236 of 256x256"
    ]
    # A wide subject that fills the width is trimmed even with space above and below.
    wide = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(wide).rectangle((0, 100, 255, 150), fill="green")
    assert check_image(save(wide, tmp_path / "c" / "icon.png")) == []
    empty = save(
        Image.new("RGBA", (256, 256), (0, 0, 0, 0)), tmp_path / "d" / "icon.png"
    )
    assert check_image(empty) == [f"{empty}: is empty"]


def test_colour_profile_must_be_srgb(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert check_image(save(circle(256), tmp_path / "icon.png", icc_profile=srgb)) == []
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    other = save(circle(256), tmp_path / "x" / "icon.png", icc_profile=lab)
    description = ImageCms.getProfileDescription(
        ImageCms.ImageCmsProfile(BytesIO(lab))
    ).strip()
    assert check_image(other) == [
        f"{other}: colour profile '{description}' is not sRGB"
    ]
    grey = save(circle(256).convert("I;16"), tmp_path / "y" / "icon.png")
    assert check_image(grey) == [f"{grey}: colour mode I;16 is not sRGB"]


def test_folder_rules(tmp_path: Path) -> None:
    folder = tmp_path / "thing"
    save(circle(512), folder / "icon@2x.png")
    save(circle(256), folder / "logo.png")
    assert check_brand_folder(folder) == [
        f"{folder}: icon.png is missing",
        f"{folder / 'icon@2x.png'}: hDPI image provided, but icon.png is missing",
    ]
    save(circle(256), folder / "icon.png")
    assert check_brand_folder(folder) == [
        f"{folder / 'logo.png'}: identical to icon.png; remove it (icon.png is used instead)"
    ]
    (folder / "logo.png").unlink()
    (folder / "dark_icon.png").write_bytes((folder / "icon.png").read_bytes())
    (folder / "logo.png").symlink_to(folder / "icon.png")
    assert check_brand_folder(folder) == [
        f"{folder / 'logo.png'}: symlinks are not allowed for custom integrations",
        f"{folder / 'logo.png'}: identical to icon.png; remove it (icon.png is used instead)",
        f"{folder / 'dark_icon.png'}: identical to icon.png; remove it (icon.png is used instead)",
    ]


def test_pull_request_layout_rules(tmp_path: Path) -> None:
    assert check_brands_pull_request(tmp_path, DOMAINS, core_domains()) == [
        f"{tmp_path}: custom_integrations/ is missing"
    ]
    custom = tmp_path / "custom_integrations"
    for name in ("venstar", "_shared", "venstar_local"):
        save(circle(256), custom / name / "icon.png")
    (custom / "firstalert_zwave").symlink_to(custom / "venstar_local")
    assert check_brands_pull_request(tmp_path, DOMAINS, core_domains()) == [
        f"{custom / '_shared'}: directories must not start with an underscore, use the domain",
        f"{custom / '_shared'}: not the domain of one of these integrations",
        f"{custom / 'firstalert_zwave'}: must be a directory, not a link or a file",
        f"{custom / 'venstar'}: not the domain of one of these integrations",
        f"{custom / 'venstar'}: venstar is also a core integration, and core wins",
    ]
    (custom / "firstalert_zwave").unlink()
    assert check_brands_pull_request(tmp_path, DOMAINS, core_domains())[-1] == (
        f"{custom}: firstalert_zwave has no folder"
    )
